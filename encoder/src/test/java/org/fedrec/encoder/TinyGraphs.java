package org.fedrec.encoder;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small ONNX graphs written here, with the inputs and outputs a test needs (opset 13). */
final class TinyGraphs {

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber();
    private static final int INT64 = TensorProto.DataType.INT64.getNumber();

    private TinyGraphs() {
    }

    /**
     * Int64 inputs {@code [batch, sequence]} named {@code inputs}; the first cast to float is the output
     * {@code out [batch, sequence]}, whose last size changes with the texts.
     */
    static Path castFirstInput(Path file, String... inputs) throws IOException {
        GraphProto.Builder graph = GraphProto.newBuilder().setName("cast");
        for (String input : inputs) {
            graph.addInput(value(input, INT64, "batch", "sequence"));
        }
        return write(file, graph.addNode(cast(inputs[0], "out")).addOutput(value("out", FLOAT, "batch", "sequence")));
    }

    /**
     * {@code input_ids} and {@code attention_mask} in; {@code pooled} [batch, 1] out: the sum of a row's
     * token ids, as float. Padding ids are 0, so the sum is the unpadded row's.
     */
    static Path summedIds(Path file) throws IOException {
        TensorProto axes = TensorProto.newBuilder().setName("axes").setDataType(INT64).addDims(1).addInt64Data(1).build();
        return write(file, GraphProto.newBuilder().setName("sum")
                .addInput(value("input_ids", INT64, "batch", "sequence"))
                .addInput(value("attention_mask", INT64, "batch", "sequence"))
                .addInitializer(axes)
                .addNode(cast("input_ids", "ids_float"))
                .addNode(NodeProto.newBuilder().setOpType("ReduceSum").addInput("ids_float").addInput("axes")
                        .addOutput("pooled").addAttribute(AttributeProto.newBuilder().setName("keepdims")
                                .setType(AttributeProto.AttributeType.INT).setI(1)))
                .addOutput(value("pooled", FLOAT, "batch", "one")));
    }

    private static NodeProto cast(String in, String out) {
        return NodeProto.newBuilder().setOpType("Cast").addInput(in).addOutput(out)
                .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                        .setI(FLOAT)).build();
    }

    /** A tensor value whose dimensions are all symbolic (named). */
    private static ValueInfoProto value(String name, int elementType, String... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (String d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape))).build();
    }

    private static Path write(Path file, GraphProto.Builder graph) throws IOException {
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("fedrec-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph).build();
        Files.write(file, model.toByteArray());
        return file;
    }

    /** Copies a classpath resource (a built-in model's file) to {@code file}. */
    static Path copyResource(String resource, Path file) throws IOException {
        try (var in = TinyGraphs.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, file);
        }
        return file;
    }
}
