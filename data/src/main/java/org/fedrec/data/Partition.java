package org.fedrec.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Training interactions distributed over clients by whole users. Invariants, checked on
 * construction: each interaction of every user with at least one interaction belongs to exactly one
 * client, together with all other interactions of that user; every client holds at least one
 * interaction; client ids are distinct. Users without interactions belong to no client ({@link
 * #unassignedUsers()}).
 */
public final class Partition {
  /** One client: an id, its interaction indices into the partitioned interactions, and its users. */
  public static final class Client {
    private final String id;
    private final int[] interactions;
    private final int[] users;

    private Client(String id, int[] interactions, int[] users) {
      this.id = id;
      this.interactions = interactions;
      this.users = users;
    }

    public String id() {
      return id;
    }

    /** The number of interactions the client holds. */
    public int size() {
      return interactions.length;
    }

    /** The k-th interaction index (ascending). */
    public int interactionAt(int k) {
      return interactions[k];
    }

    /** Its interaction indices into the partitioned interactions, ascending (a copy). */
    public int[] interactionIndices() {
      return interactions.clone();
    }

    /** Its users, ascending (a copy). */
    public int[] users() {
      return users.clone();
    }

    public int numUsers() {
      return users.length;
    }

    /** The client's interactions, as a subset of the partitioned {@code train}. */
    public Interactions data(Interactions train) {
      return train.subset(interactions);
    }

    @Override
    public String toString() {
      return "Client[" + id + ", " + users.length + " users, " + interactions.length + " interactions]";
    }
  }

  private final List<Client> clients;
  private final int[] clientOfUser;
  private final int numInteractions;

  private Partition(List<Client> clients, int[] clientOfUser, int numInteractions) {
    this.clients = List.copyOf(clients);
    this.clientOfUser = clientOfUser;
    this.numInteractions = numInteractions;
  }

  /**
   * A partition that gives each user's interactions to client {@code clientOfUser[user]}. Users
   * without interactions are not assigned, whatever {@code clientOfUser} says.
   *
   * @param clientIds distinct, non-null; one per client
   * @param clientOfUser for each user of {@code train}, an index into {@code clientIds}
   * @throws IllegalArgumentException if a user with interactions has no valid client, or a client
   *     would hold no interaction
   */
  public static Partition fromAssignment(Interactions train, String[] clientIds, int[] clientOfUser) {
    int numUsers = train.numUsers();
    if (clientOfUser.length != numUsers) {
      throw new IllegalArgumentException("expected a client for each of " + numUsers + " users, found " + clientOfUser.length);
    }
    Set<String> distinct = new HashSet<>();
    for (String id : clientIds) {
      if (id == null || !distinct.add(id)) {
        throw new IllegalArgumentException("client ids must be distinct and non-null, found " + (id == null ? "null" : "'" + id + "' twice"));
      }
    }
    int k = clientIds.length;
    int[] perUser = train.countsPerUser();
    int[] assigned = new int[numUsers];
    int[] interactionCount = new int[k];
    int[] userCount = new int[k];
    for (int u = 0; u < numUsers; u++) {
      if (perUser[u] == 0) {
        assigned[u] = -1;
        continue;
      }
      int c = clientOfUser[u];
      if (c < 0 || c >= k) {
        throw new IllegalArgumentException("user " + u + " has " + perUser[u] + " interactions: expected a client in [0, " + k
            + "), found " + c);
      }
      assigned[u] = c;
      interactionCount[c] += perUser[u];
      userCount[c]++;
    }
    for (int c = 0; c < k; c++) {
      if (interactionCount[c] == 0) {
        throw new IllegalArgumentException("client '" + clientIds[c] + "' would hold no interaction");
      }
    }
    int[][] interactions = new int[k][];
    int[][] users = new int[k][];
    for (int c = 0; c < k; c++) {
      interactions[c] = new int[interactionCount[c]];
      users[c] = new int[userCount[c]];
    }
    int[] fill = new int[k];
    for (int i = 0; i < train.size(); i++) {
      int c = assigned[train.user(i)];
      interactions[c][fill[c]++] = i;
    }
    Arrays.fill(fill, 0);
    for (int u = 0; u < numUsers; u++) {
      if (assigned[u] >= 0) {
        users[assigned[u]][fill[assigned[u]]++] = u;
      }
    }
    List<Client> clients = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      clients.add(new Client(clientIds[c], interactions[c], users[c]));
    }
    return new Partition(clients, assigned, train.size());
  }

  public List<Client> clients() {
    return clients;
  }

  /** The number of clients. */
  public int size() {
    return clients.size();
  }

  public Client client(int k) {
    return clients.get(k);
  }

  /** The index of the client that holds {@code user}, or -1 if the user has no interaction. */
  public int clientOf(int user) {
    return clientOfUser[user];
  }

  /** The number of interactions distributed (the size of the partitioned interactions). */
  public int numInteractions() {
    return numInteractions;
  }

  /** Users with no interaction, which belong to no client. */
  public int[] unassignedUsers() {
    return java.util.stream.IntStream.range(0, clientOfUser.length).filter(u -> clientOfUser[u] < 0).toArray();
  }

  @Override
  public String toString() {
    return "Partition[" + clients.size() + " clients, " + numInteractions + " interactions]";
  }
}
