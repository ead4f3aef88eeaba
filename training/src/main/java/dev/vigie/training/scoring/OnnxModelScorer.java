package dev.vigie.training.scoring;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX model scored by ONNX Runtime in batches of {@value #BATCH} rows. The input buffer is direct and reused,
 * so ORT reads it without a copy. Not thread-safe: one scorer per thread (sessions are cheap to share, buffers
 * are not).
 */
public final class OnnxModelScorer implements ModelScorer {
    public static final int BATCH = 4096;
    public static final String INPUT = "input";
    public static final String SCORE = "score";
    public static final String RAW = "raw_score";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final int width;
    private final FloatBuffer buffer;
    private final String output;

    /** {@code threads} intra-op threads; 1 is what the engine uses per scoring thread. */
    public OnnxModelScorer(byte[] model, int width, int threads) throws OrtException {
        this(model, width, threads, SCORE);
    }

    public OnnxModelScorer(byte[] model, int width, int threads, String output) throws OrtException {
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(model, opts);
        }
        this.width = width;
        this.output = output;
        this.buffer = ByteBuffer.allocateDirect(BATCH * width * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public float[] score(float[] inputs, int rows) {
        float[] out = new float[rows];
        try {
            for (int start = 0; start < rows; start += BATCH) {
                int n = Math.min(BATCH, rows - start);
                buffer.clear();
                buffer.put(inputs, start * width, n * width);
                buffer.flip();
                try (OnnxTensor t = OnnxTensor.createTensor(env, buffer, new long[] {n, width});
                     OrtSession.Result r = session.run(Map.of(INPUT, t), Set.of(output))) {
                    FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    fb.get(out, start, n);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
