package org.fedrec.models.eval.internal;

/**
 * Bounded top-K selection over {@code (item, score)} pairs with a binary min-heap of at most {@code K}
 * entries whose root is the worst kept: {@code O(n log K)} time and {@code O(K)} space for {@code n}
 * offers, no sort of all items. Higher scores rank first; equal scores rank the lower item index first,
 * so the selection does not depend on the order of the offers. Not thread-safe: one per worker.
 *
 * <pre>{@code
 * topK.clear();
 * for (...) topK.offer(item, score);
 * int n = topK.sortBestFirst();      // then item(0) is the best, item(n - 1) the K-th
 * }</pre>
 */
public final class TopK {
    private final int[] items;
    private final float[] scores;
    private int size;

    public TopK(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("expected a capacity >= 1, found " + capacity);
        }
        items = new int[capacity];
        scores = new float[capacity];
    }

    public int capacity() {
        return items.length;
    }

    /** Forgets every offer. */
    public void clear() {
        size = 0;
    }

    /** Keeps {@code (item, score)} if it is among the best {@code capacity} seen since {@link #clear()}. */
    public void offer(int item, float score) {
        if (size < items.length) {
            siftUp(size++, item, score);
        } else if (score > scores[0] || (score == scores[0] && item < items[0])) {
            siftDown(0, item, score, size);
        }
    }

    /**
     * Orders the kept entries best first (in place, by heapsort) and returns how many there are. After
     * this call only {@link #item}, {@link #score} and {@link #clear()} may be used.
     */
    public int sortBestFirst() {
        int n = size;
        for (int last = n - 1; last > 0; last--) {
            int item = items[last];
            float score = scores[last];
            items[last] = items[0];
            scores[last] = scores[0];
            siftDown(0, item, score, last);
        }
        return n;
    }

    /** The item at a position of the sorted selection, 0 = best. */
    public int item(int position) {
        return items[position];
    }

    /** The score at a position of the sorted selection, 0 = best. */
    public float score(int position) {
        return scores[position];
    }

    /** Whether a ranks below b: a lower score, or an equal score and a higher item index. */
    private static boolean worse(float sa, int ia, float sb, int ib) {
        return sa < sb || (sa == sb && ia > ib);
    }

    private void siftUp(int i, int item, float score) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(score, item, scores[parent], items[parent])) {
                break;
            }
            items[i] = items[parent];
            scores[i] = scores[parent];
            i = parent;
        }
        items[i] = item;
        scores[i] = score;
    }

    private void siftDown(int i, int item, float score, int n) {
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && worse(scores[right], items[right], scores[child], items[child])) {
                child = right;
            }
            if (!worse(scores[child], items[child], score, item)) {
                break;
            }
            items[i] = items[child];
            scores[i] = scores[child];
            i = child;
        }
        items[i] = item;
        scores[i] = score;
    }
}
