package org.fedrec.engine.spark;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.core.ClientFactory;
import org.fedrec.core.RandomSource;
import org.fedrec.data.Dataset;
import org.fedrec.data.LeaveOneOutSplit;
import org.fedrec.data.Partition;
import org.fedrec.data.PerUserPartitioner;
import org.fedrec.data.Split;
import org.fedrec.data.SyntheticShop;
import org.fedrec.models.ClientData;
import org.fedrec.models.MatrixFactorization;
import org.fedrec.models.PrivateStates;
import org.fedrec.models.RecommenderClient;
import org.fedrec.models.TrainSettings;
import org.fedrec.models.eval.MetricSums;
import org.fedrec.models.eval.SampledCandidates;
import org.fedrec.models.eval.SampledRankingEvaluator;
import org.fedrec.models.eval.UserItems;

/**
 * A test population: the synthetic shop, leave-one-out split, one client per user, MF-BPR, evaluated by
 * HR@10 and NDCG@10 against 99 sampled negatives. Only its sizes and seed are serialized; every JVM
 * regenerates the same clients from them. {@code failing} names a client whose fit throws.
 */
record ShopPopulation(int users, int items, int dim, long seed, String failing) implements SparkPopulation {

    @Serial
    private static final long serialVersionUID = 1L;

    ShopPopulation(int users, int items, long seed) {
        this(users, items, 16, seed, null);
    }

    ShopPopulation failing(String clientId) {
        return new ShopPopulation(users, items, dim, seed, clientId);
    }

    @Override
    public Clients build() {
        Dataset shop = SyntheticShop.generate(SyntheticShop.Config.defaults().withSize(users, items).withSeed(seed));
        Split split = new LeaveOneOutSplit(false).split(shop);
        Partition partition = new PerUserPartitioner().partition(split.train(), shop.catalog(), seed);
        int numUsers = split.train().numUsers();
        int numItems = split.train().numItems();
        UserItems train = UserItems.ofPairs(numUsers, split.train().usersArray(), split.train().itemsArray());
        Map<String, ClientData> data = new LinkedHashMap<>();
        for (Partition.Client c : partition.clients()) {
            int[] us = c.users();
            int[][] positives = new int[us.length][];
            for (int k = 0; k < us.length; k++) {
                positives[k] = train.itemsOf(us[k]);
            }
            data.put(c.id(), ClientData.of(us, positives));
        }
        int[] testItem = new int[numUsers];
        Arrays.fill(testItem, -1);
        int[] pairUsers = new int[split.train().size() + split.test().size()];
        int[] pairItems = new int[pairUsers.length];
        for (int i = 0; i < split.test().size(); i++) {
            testItem[split.test().user(i)] = split.test().item(i);
            pairUsers[i] = split.test().user(i);
            pairItems[i] = split.test().item(i);
        }
        System.arraycopy(split.train().usersArray(), 0, pairUsers, split.test().size(), split.train().size());
        System.arraycopy(split.train().itemsArray(), 0, pairItems, split.test().size(), split.train().size());
        SampledRankingEvaluator evaluator = SampledRankingEvaluator.of(SampledCandidates.build(numItems,
                UserItems.ofPairs(numUsers, pairUsers, pairItems), testItem, 99, seed + 1), 10);
        if (numItems != items) {
            throw new IllegalStateException("the shop has " + numItems + " items, expected " + items);
        }
        MatrixFactorization model = model();
        TrainSettings settings = new TrainSettings(1, 0.05, TrainSettings.Optimizer.SGD, 4, 0.0,
                TrainSettings.Loss.BPR, 1.0, 0.0);
        RandomSource random = RandomSource.seeded(seed);
        return new Clients() {
            @Override
            public List<String> clientIds() {
                return new ArrayList<>(data.keySet());
            }

            @Override
            public int[] usersOf(String clientId) {
                return data.get(clientId).users();
            }

            @Override
            public PrivateStates newPrivateStates() {
                return model.newPrivateStates(numUsers, random);
            }

            @Override
            public ClientFactory factory(PrivateStates states) {
                return id -> {
                    ClientData d = data.get(id);
                    if (d == null || id.equals(failing)) {
                        throw new IllegalArgumentException("client '" + id + "' cannot be built");
                    }
                    return new RecommenderClient(id, model, d, states, settings, (scorer, us) -> {
                        MetricSums m = evaluator.evaluate(scorer, us, 1);
                        return new RecommenderClient.Evaluation(m.count(), m.count() == 0 ? Map.of() : m.means());
                    });
                };
            }
        };
    }

    /** The model every JVM builds: MF-BPR over the shop's items. */
    MatrixFactorization model() {
        return new MatrixFactorization(items, dim, 0.1);
    }
}
