package dev.vigie.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code training.json}: where a bundle came from. Inputs are pinned by SHA-256 so that a bundle can be
 * reproduced (same files, same config → byte-identical models) or traced back to the capture it learnt from.
 * Durations and the creation time are the only fields that differ between two identical runs.
 *
 * @param site           site name
 * @param createdAt      ISO-8601 UTC time the run finished
 * @param config         the full training configuration
 * @param inputs         every feature file with its hash and row count
 * @param rows           rows read
 * @param trainRows      rows the models learnt from
 * @param heldOutRows    benign rows kept for calibration
 * @param timeStart      first flow start in the data (ISO-8601 UTC)
 * @param timeEnd        last flow end in the data
 * @param featureSchemaHash schema hash of the flow records
 * @param versions       vigie, Java, Tribuo, ONNX Runtime, DuckDB
 * @param seconds        wall time of each stage
 * @param tribuoProvenance bundle paths of Tribuo's provenance JSON, one per Tribuo-trained model
 */
public record TrainingRun(String site, String createdAt, TrainConfig config, List<InputFile> inputs, long rows,
                          long trainRows, long heldOutRows, String timeStart, String timeEnd,
                          String featureSchemaHash, Map<String, String> versions, Map<String, Double> seconds,
                          List<String> tribuoProvenance) {
    public static final String FILE = "training.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record InputFile(String path, String sha256, long bytes, long rows) {}

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrainingRun fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, TrainingRun.class);
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
