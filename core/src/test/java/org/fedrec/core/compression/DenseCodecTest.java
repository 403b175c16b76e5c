package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fedrec.core.ClientContext;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.FedAvg;
import org.junit.jupiter.api.Test;

/**
 * Dense tables (an adapter) with a codec of their own: top-k sparsifies the row table while every adapter
 * value travels, and the server decodes each payload with the codec that wrote it.
 */
class DenseCodecTest {

    private static ModelState global() {
        Map<String, FloatTable> t = new LinkedHashMap<>();
        t.put("item", FloatTable.zeros(100, 4));
        t.put("adapter", FloatTable.zeros(8, 16));
        return new ModelState(t);
    }

    private static ModelUpdate update() {
        int[] rows = {3, 17, 42, 77};
        float[] item = new float[rows.length * 4];
        for (int i = 0; i < item.length; i++) {
            item[i] = (i % 5) - 2.5f;
        }
        float[] adapter = new float[8 * 16];
        for (int i = 0; i < adapter.length; i++) {
            adapter[i] = 0.01f * (i + 1);
        }
        Map<String, TableDelta> d = new LinkedHashMap<>();
        d.put("item", new TableDelta.SparseRows(4, rows, item));
        d.put("adapter", new TableDelta.Dense(adapter));
        return new ModelUpdate(d);
    }

    private static FitResult encode(EncodingInterceptor interceptor) {
        return interceptor.afterFit(new FitInstruction("c7", global(), RoundConfig.EMPTY),
                new FitResult("c7", 10, update(), Map.of()), new ClientContext(1, RandomSource.seeded(5)));
    }

    @Test
    void topKSparsifiesRowsButEveryAdapterValueTravelsThroughTheDenseCodec() {
        Codec rows = Codec.parse("topk:0.01");
        Codec dense = Codec.parse("fp32");
        FitResult sent = encode(new EncodingInterceptor(rows, dense, null));

        TableDelta.Encoded item = (TableDelta.Encoded) sent.update().deltas().get("item");
        TableDelta.Encoded adapter = (TableDelta.Encoded) sent.update().deltas().get("adapter");
        assertThat(item.codec()).isEqualTo(rows.name());
        assertThat(item.values()).isEqualTo(TopK.k(0.01, 100, 4));
        assertThat(adapter.codec()).isEqualTo(dense.name());
        assertThat(adapter.values()).isEqualTo(8 * 16);

        FitResult decoded = new DecodingStrategy(new FedAvg(FedAvg.Settings.defaults()), rows, dense)
                .decode(global(), sent);
        float[] expected = ((TableDelta.Dense) update().deltas().get("adapter")).values();
        assertThat(((TableDelta.Dense) decoded.update().deltas().get("adapter")).values()).containsExactly(expected);
    }

    @Test
    void withErrorFeedbackTheAdapterKeepsItsCodecInLaterRounds() {
        ErrorFeedback ef = new ErrorFeedback();
        EncodingInterceptor interceptor = new EncodingInterceptor(Codec.parse("topk:0.01"), Codec.parse("q8"), ef);
        encode(interceptor);
        assertThat(ef.residual("c7")).containsKeys("item", "adapter"); // top-k dropped rows, q8 rounded
        FitResult second = encode(interceptor);
        TableDelta.Encoded adapter = (TableDelta.Encoded) second.update().deltas().get("adapter");
        assertThat(adapter.codec()).isEqualTo("q8");
        assertThat(adapter.values()).isEqualTo(8 * 16);
    }

    @Test
    void withOneCodecTheAdapterIsSparsifiedToo() {
        FitResult sent = encode(new EncodingInterceptor(Codec.parse("topk:0.01"), null));
        assertThat(((TableDelta.Encoded) sent.update().deltas().get("adapter")).values())
                .isEqualTo(TopK.k(0.01, 8, 16));
    }

    @Test
    void aPayloadOfNeitherCodecIsRefusedNamingClientTableAndBothCodecs() {
        FitResult sent = encode(new EncodingInterceptor(Codec.parse("q8"), null));
        DecodingStrategy server = new DecodingStrategy(new FedAvg(FedAvg.Settings.defaults()),
                Codec.parse("topk:0.01"), Codec.parse("fp16"));
        assertThatThrownBy(() -> server.decode(global(), sent))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("client c7, table 'item'")
                .hasMessageContaining("'q8'")
                .hasMessageContaining("'topk:0.01'")
                .hasMessageContaining("'fp16'");
    }
}
