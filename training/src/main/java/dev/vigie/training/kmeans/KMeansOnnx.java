package dev.vigie.training.kmeans;

import ai.onnx.proto.OnnxMl;
import dev.vigie.training.onnx.OnnxModels;
import dev.vigie.training.onnx.VigieOps;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * Exports a {@link KMeansDistanceModel} as an ONNX graph computing the distance to the nearest centroid:
 * <pre>
 *   x [N,d] ─ Cast(double) ─┬─ Mul x·x ─ ReduceSum(axis 1) ─────────────┐ ‖x‖² [N,1]
 *                           └─ Gemm(x, C, alpha −2, transB) ─ Add ─ Add ─ −2x·cᵀ + ‖x‖² + ‖c‖² [N,k]
 *   C [k,d] ─ Cast(double) ─ Mul C·C ─ ReduceSum(axis 1, keepdims 0) ‖c‖² [k] ┘
 *   ─ ReduceMin(axis 1) ─ Max(0) ─ Sqrt ─ distance [N,1] ─ Cast(float) → raw_score
 *                                              └ Sub median ─ Div (threshold − median) ─ Cast(float) → score
 * </pre>
 * The expansion ‖x−c‖² = ‖x‖² − 2x·c + ‖c‖² cancels badly in float32 when rows lie far from the origin; in
 * double it agrees with the direct sum to ~1e-12, which is why the graph casts first.
 */
public final class KMeansOnnx {
    public static final String INPUT = "input";
    public static final String SCORE = "score";
    public static final String RAW = "raw_score";
    private static final int DOUBLE = OnnxMl.TensorProto.DataType.DOUBLE.getNumber();
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

    private KMeansOnnx() {}

    public static OnnxMl.ModelProto export(KMeansDistanceModel model, double center, double threshold, String name,
                                           Map<String, String> metadata) {
        ONNXContext ctx = new ONNXContext();
        int k = model.clusters();
        int d = model.width();
        float[] cents = model.centroids();
        ONNXPlaceholder input = ctx.floatInput(INPUT, d);
        ONNXPlaceholder raw = ctx.floatOutput(RAW, 1);
        ONNXPlaceholder score = ctx.floatOutput(SCORE, 1);
        ONNXInitializer centroids = ctx.floatTensor("centroids", List.of(k, d), buf -> buf.put(cents));
        ONNXInitializer axis1 = ctx.array("axis1", new long[] {1});

        ONNXNode x = input.apply(ONNXOperators.CAST, Map.of("to", DOUBLE));
        ONNXNode c = centroids.apply(ONNXOperators.CAST, Map.of("to", DOUBLE));
        ONNXNode xx = ctx.operation(ONNXOperators.REDUCE_SUM, List.of(x.apply(ONNXOperators.MUL, x), axis1), "x_norm2",
                Map.of("keepdims", 1));
        ONNXNode cc = ctx.operation(ONNXOperators.REDUCE_SUM, List.of(c.apply(ONNXOperators.MUL, c), axis1), "c_norm2",
                Map.of("keepdims", 0));
        ONNXNode cross = ctx.operation(ONNXOperators.GEMM, List.of(x, c), "cross",
                OnnxModels.attributes("alpha", -2.0f, "transB", 1));
        ONNXNode d2 = cross.apply(ONNXOperators.ADD, xx).apply(ONNXOperators.ADD, cc);
        ONNXNode nearest = d2.apply(ONNXOperators.REDUCE_MIN, OnnxModels.attributes("axes", new int[] {1}, "keepdims", 1));
        ONNXNode clamped = ctx.operation(VigieOps.MAX, List.of(nearest, ctx.array("zero", new double[] {0}, false)),
                "clamped", Map.of());
        ONNXNode dist = clamped.apply(VigieOps.SQRT);
        dist.apply(ONNXOperators.CAST, Map.of("to", FLOAT)).assignTo(raw);
        dist.apply(ONNXOperators.SUB, ctx.array("median", new double[] {center}, false))
                .apply(ONNXOperators.DIV, ctx.array("threshold_span", new double[] {threshold - center}, false))
                .apply(ONNXOperators.CAST, Map.of("to", FLOAT)).assignTo(score);
        return OnnxModels.build(ctx, name, "k-means distance to the nearest of " + k
                + " centroids (Tribuo KMeansTrainer); score = (distance - median) / (threshold - median)", metadata);
    }
}
