package org.fedrec.data.internal;

/** Stable merge sort of primitive int arrays with a primitive comparator (no boxing). */
public final class IntSort {
  /** Compares two ints (typically indices into columns). */
  @FunctionalInterface
  public interface IntComparator {
    int compare(int a, int b);
  }

  private IntSort() {}

  public static void sort(int[] a, int from, int to, IntComparator cmp) {
    if (to - from < 2) {
      return;
    }
    int[] tmp = new int[to - from];
    mergeSort(a, tmp, from, to, cmp);
  }

  private static void mergeSort(int[] a, int[] tmp, int from, int to, IntComparator cmp) {
    int n = to - from;
    if (n <= 16) {
      for (int i = from + 1; i < to; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= from && cmp.compare(a[j], x) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, cmp);
    mergeSort(a, tmp, mid, to, cmp);
    if (cmp.compare(a[mid - 1], a[mid]) <= 0) {
      return;
    }
    int i = from;
    int j = mid;
    int k = 0;
    while (i < mid && j < to) {
      tmp[k++] = cmp.compare(a[j], a[i]) < 0 ? a[j++] : a[i++];
    }
    while (i < mid) {
      tmp[k++] = a[i++];
    }
    while (j < to) {
      tmp[k++] = a[j++];
    }
    System.arraycopy(tmp, 0, a, from, k);
  }
}
