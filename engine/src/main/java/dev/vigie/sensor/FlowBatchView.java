package dev.vigie.sensor;

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

    int origP(int i) {
        return origP.get(i);
    }

    String respH(int i) {
        return text(respH, i);
    }

    int respP(int i) {
        return respP.get(i);
    }

    String proto(int i) {
        return text(proto, i);
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
        String s = text(connState, i);
        return s != null && switch (s) {
            case "S1", "SF", "S2", "S3", "RSTO", "RSTR" -> true;
            default -> false;
        };
    }

    /** The flow is a data channel announced on an FTP control connection. */
    boolean announcedChannel(int i) {
        return ftpControl != null && !ftpControl.isNull(i);
    }

    static String text(VarCharVector v, int i) {
        return v == null || v.isNull(i) ? null : new String(v.get(i), StandardCharsets.UTF_8);
    }
}
