package dev.vigie.training.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;

/**
 * Wraps a graph built with Tribuo's {@link ONNXContext} into a model file. Tribuo's own
 * {@code ONNXExportable.buildModel} embeds the model's provenance, which carries the training time: our files
 * must be byte-identical for the same data and seed, so provenance goes into the bundle's metadata instead and
 * the ONNX metadata holds only deterministic facts.
 */
public final class OnnxModels {
    public static final String ML_DOMAIN = "ai.onnx.ml";
    public static final int DEFAULT_OPSET = 13;
    public static final int ML_OPSET = 3;
    /** IR 8 is what opset 13 files are written with by current exporters; ORT 1.28 reads up to 11. */
    public static final long IR_VERSION = 8;
    public static final String PRODUCER = "vigie";

    private OnnxModels() {}

    /** Metadata entries are written in the map's iteration order: pass a sorted map. */
    public static OnnxMl.ModelProto build(ONNXContext ctx, String graphName, String docString,
                                          Map<String, String> metadata) {
        ctx.setName(graphName);
        OnnxMl.ModelProto.Builder b = OnnxMl.ModelProto.newBuilder()
                .setGraph(ctx.buildGraph())
                .setDomain("dev.vigie")
                .setProducerName(PRODUCER)
                .setProducerVersion(version())
                .setModelVersion(1)
                .setIrVersion(IR_VERSION)
                .setDocString(docString)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(DEFAULT_OPSET))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return b.build();
    }

    /**
     * Attributes in a fixed order. {@code Map.of} iterates in an order salted per JVM, and attribute order is
     * written into the file: it would break byte-identical output.
     */
    public static Map<String, Object> attributes(Object... keyValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static String version() {
        String v = OnnxModels.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
