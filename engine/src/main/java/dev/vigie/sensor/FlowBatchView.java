package dev.vigie.sensor;

import dev.vigie.schema.TextCells;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The identity columns of a batch of flow records (docs/schema/flows.md), resolved once per batch: what an alert
 * or a score row needs to name its flow. Strings are made only for the rows that become alerts or score rows.
 */
final class FlowBatchView {
    private final BigIntVector flowId;
    private final TimeStampMicroTZVector tsStart;
    private final TimeStampMicroTZVector tsEnd;
    private final VarCharVector origH;
    private final IntVector origP;
    private final VarCharVector respH;
    private final IntVector respP;
    private final VarCharVector proto;
    private final VarCharVector appProto;
    private final VarCharVector communityId;
    private final BigIntVector origBytes;
    private final BigIntVector respBytes;
    private final VarCharVector connState;
    private final BigIntVector ftpControl;
    private final int rows;
    private final byte[][] protoBytes = new byte[8][];
    private final String[] protoText = new String[8];
    private int protoLabels;

    FlowBatchView(VectorSchemaRoot batch) {
        this.flowId = (BigIntVector) batch.getVector("flow_id");
        this.tsStart = (TimeStampMicroTZVector) batch.getVector("ts_start");
        this.tsEnd = (TimeStampMicroTZVector) batch.getVector("ts_end");
        this.origH = (VarCharVector) batch.getVector("orig_h");
        this.origP = (IntVector) batch.getVector("orig_p");
        this.respH = (VarCharVector) batch.getVector("resp_h");
        this.respP = (IntVector) batch.getVector("resp_p");
        this.proto = (VarCharVector) batch.getVector("proto");
        FieldVector app = batch.getVector("app_proto");
        this.appProto = app instanceof VarCharVector v ? v : null;
        this.communityId = (VarCharVector) batch.getVector("community_id");
        this.origBytes = (BigIntVector) batch.getVector("orig_bytes");
        this.respBytes = (BigIntVector) batch.getVector("resp_bytes");
        this.connState = (VarCharVector) batch.getVector("conn_state");
        FieldVector ftp = batch.getVector("ftp_control_flow_id");
        this.ftpControl = ftp instanceof BigIntVector b ? b : null;
        this.rows = batch.getRowCount();
    }

    int rows() {
        return rows;
    }

    long flowId(int i) {
        return flowId.get(i);
    }

    long tsStartNanos(int i) {
        return tsStart.get(i) * 1000L;
    }

    long tsEndNanos(int i) {
        return tsEnd.get(i) * 1000L;
    }

    String origH(int i) {
        return text(origH, i);
    }

    /** The originator address as UTF-8 bytes (null when null): score rows copy it without a String. */
    byte[] origHBytes(int i) {
        return origH.isNull(i) ? null : origH.get(i);
    }

    byte[] respHBytes(int i) {
        return respH.isNull(i) ? null : respH.get(i);
    }

    int origP(int i) {
        return origP.get(i);
    }

    String respH(int i) {
        return text(respH, i);
    }

    int respP(int i) {
        return respP.get(i);
    }

    /** The protocol label; the few distinct values are made into Strings once per batch, not once per row. */
    String proto(int i) {
        if (proto.isNull(i)) {
            return null;
        }
        for (int k = 0; k < protoLabels; k++) {
            if (TextCells.equals(proto, i, protoBytes[k])) {
                return protoText[k];
            }
        }
        byte[] b = proto.get(i);
        String t = new String(b, StandardCharsets.UTF_8);
        if (protoLabels < protoText.length) {
            protoBytes[protoLabels] = b;
            protoText[protoLabels++] = t;
        }
        return t;
    }

    String appProto(int i) {
        return appProto == null ? null : text(appProto, i);
    }

    String communityId(int i) {
        return text(communityId, i);
    }

    long origBytes(int i) {
        return origBytes.isNull(i) ? 0 : origBytes.get(i);
    }

    /** The responder sent data or completed a TCP handshake (Zeek states S1, SF, S2, S3, RSTO, RSTR). */
    boolean responderAnswered(int i) {
        if (!respBytes.isNull(i) && respBytes.get(i) > 0) {
            return true;
        }
        if (connState.isNull(i)) {
            return false;
        }
        for (byte[] answered : ANSWERED) {
            if (TextCells.equals(connState, i, answered)) {
                return true;
            }
        }
        return false;
    }

    private static final byte[][] ANSWERED = {bytes("S1"), bytes("SF"), bytes("S2"), bytes("S3"), bytes("RSTO"), bytes("RSTR")};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The flow is a data channel announced on an FTP control connection. */
    boolean announcedChannel(int i) {
        return ftpControl != null && !ftpControl.isNull(i);
    }

    static String text(byte[] utf8) {
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    static String text(VarCharVector v, int i) {
        return v == null || v.isNull(i) ? null : new String(v.get(i), StandardCharsets.UTF_8);
    }
}
