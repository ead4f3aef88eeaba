package dev.vigie.sensor;

import dev.vigie.alerts.AlertSink;
import dev.vigie.features.FlowBatchBuilder;
import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;
import dev.vigie.flow.FlowSink;
import dev.vigie.training.ModelIndex;
import dev.vigie.training.ModelKind;
import dev.vigie.training.TrafficGroups;
import dev.vigie.training.profiles.ProfileScorer;
import dev.vigie.training.scoring.OnnxScorer;
import dev.vigie.training.scoring.Scores;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a feature row becomes a model alert: each micro-batch of flow records is scored by the bundle's models in
 * ONNX Runtime, checked against the host profiles, and handed on to the flow-record files. Runs on the packet
 * loop's thread (the batch's vectors are reused as soon as it returns), so a model swap between two batches needs
 * no lock.
 * <p>
 * It is also a {@link FlowSink} placed after the batch builder, to learn when each row's flow ended: the time
 * from there to the alert is the latency the sensor reports (flows wait in the batch for at most its delay).
 */
final class ModelStage implements FlowBatchBuilder.BatchConsumer, FlowSink, AutoCloseable {

    private static final ModelKind[] KINDS = ModelKind.values(); // values() copies its array: once per row here

    private ModelBundle models;
    private String modelVersion;
    private final AlertSink alerts;
    private final FlowBatchBuilder.BatchConsumer rowsOut;
    private final ScoreTable scores;
    private final LatencyRecorder scoringLatency;
    private final LatencyRecorder alertLatency;
    private final HostHours hours = new HostHours();
    /** One instance: a method reference that captures {@code this} is a new object at every profiled flow. */
    private final HostHours.HourEnded hourEnded = this::hourEnded;
    /** The model inputs of the last batch, rewritten by the next one (batches arrive on one thread). */
    private float[] inputs;
    private final Map<String, String[]> groupCache = new HashMap<>();

    // wall time at which each pending row's flow ended (see class comment)
    private long[] endedAt = new long[1024];
    private int ended;
    private int owed;

    private long batches;
    private long rowsScored;
    private long scoringNanos;
    private long mlAlerts;
    private long profileAlerts;
    private long maxBatchNanos;
    private long captureNanos;

    ModelStage(ModelBundle models, AlertSink alerts, FlowBatchBuilder.BatchConsumer rowsOut, ScoreTable scores,
               LatencyRecorder scoringLatency, LatencyRecorder alertLatency) {
        this.models = models;
        this.modelVersion = models.site() + " v" + models.version();
        this.alerts = alerts;
        this.rowsOut = rowsOut;
        this.scores = scores;
        this.scoringLatency = scoringLatency;
        this.alertLatency = alertLatency;
    }

    @Override
    public void flowEnded(Flow flow, EndReason reason) {
        if (owed > 0) { // this row was already scored: its batch filled up and was flushed before we were told
            owed--;
            return;
        }
        if (ended == endedAt.length) {
            endedAt = Arrays.copyOf(endedAt, ended * 2);
        }
        endedAt[ended++] = System.nanoTime();
    }

    @Override
    public void accept(VectorSchemaRoot batch) {
        long t0 = System.nanoTime();
        int n = batch.getRowCount();
        OnnxScorer scorer = models.scorer();
        float[] x = scorer.recipe().apply(batch, inputs);
        inputs = x;                      // the next batch writes into it: nothing keeps x past this batch
        FlowBatchView view = new FlowBatchView(batch);
        String[] groups = new String[n];
        String[] protos = new String[n];
        TrafficGroups tg = scorer.index().groups();
        for (int i = 0; i < n; i++) {
            String proto = view.proto(i);
            protos[i] = proto;
            groups[i] = groupOf(tg, proto, view.respP(i));
        }
        Scores s = scorer.scoreInputs(x, groups);
        long scored = System.nanoTime();
        scoringLatency.record(scored - t0);
        ProfileScorer profiles = models.profiles();
        for (int i = 0; i < n; i++) {
            byte[] origH = view.origHBytes(i);
            byte[] respH = view.respHBytes(i);
            writeScores(view, i, s, origH, respH);
            if (s.combined()[i] >= 1.0f) {
                alerts.accept(SensorAlerts.ml(view, i, mlEvidence(view, i, s, x, batch)));
                mlAlerts++;
                recordAlertLatency(i, n);
            }
            if (profiles != null) {
                checkProfiles(profiles, view, i, n, FlowBatchView.text(origH), FlowBatchView.text(respH), protos[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            captureNanos = Math.max(captureNanos, view.tsEndNanos(i));
        }
        batches++;
        rowsScored += n;
        long spent = System.nanoTime() - t0;
        scoringNanos += spent;
        maxBatchNanos = Math.max(maxBatchNanos, spent);
        // rows this batch holds whose end the sink has not been told yet (a batch flushed because it was full)
        owed += Math.max(0, n - ended);
        int keep = Math.max(0, ended - n);
        System.arraycopy(endedAt, Math.min(n, ended), endedAt, 0, keep);
        ended = keep;
        rowsOut.accept(batch);
    }

    /** Wall time at which the oldest row of the batch being filled ended, or now when none is known. */
    long oldestPendingEndNanos() {
        return ended > 0 ? endedAt[0] : System.nanoTime();
    }

    private void recordAlertLatency(int row, int n) {
        long now = System.nanoTime();
        alertLatency.record(row < ended ? now - endedAt[row] : 0);
    }

    /**
     * The traffic group of a service, cached by protocol and port: {@link TrafficGroups#groupOf} builds a
     * "proto/port" key, which every scored row would otherwise pay for.
     */
    private String groupOf(TrafficGroups tg, String proto, int port) {
        if (proto == null || port < 0 || port > 0xFFFF) {
            return tg.groupOf(proto == null ? "" : proto, port);
        }
        String[] byPort = groupCache.get(proto);
        if (byPort == null) {
            if (groupCache.size() >= 16) { // protocol labels are few (tcp, udp, icmp, ...): numbers past that
                return tg.groupOf(proto, port);
            }
            byPort = new String[0x10000];
            groupCache.put(proto, byPort);
        }
        String g = byPort[port];
        if (g == null) {
            byPort[port] = g = tg.groupOf(proto, port);
        }
        return g;
    }

    private void writeScores(FlowBatchView v, int i, Scores s, byte[] origH, byte[] respH) {
        ScoreTable.Row r = scores.row();
        r.tsNanos = v.tsStartNanos(i);
        r.flowId = v.flowId(i);
        r.origH = origH;
        r.respH = respH;
        r.respP = v.respP(i);
        r.group = s.group()[i];
        r.modelVersion = modelVersion;
        r.combined = s.combined()[i];
        ModelIndex index = models.scorer().index();
        for (ModelKind k : KINDS) {
            r.score[k.ordinal()] = s.of(k)[i];
            r.rawThreshold[k.ordinal()] = index.model(r.group, k).threshold();
        }
        scores.append();
    }

    private Map<String, Object> mlEvidence(FlowBatchView v, int i, Scores s, float[] x, VectorSchemaRoot batch) {
        ModelIndex index = models.scorer().index();
        String group = s.group()[i];
        ModelKind top = null;
        Map<String, Object> byModel = new LinkedHashMap<>();
        for (ModelKind k : ModelKind.values()) {
            float score = s.of(k)[i];
            if (top == null || score > s.of(top)[i]) {
                top = k;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("score", Explainer.round(score));
            m.put("raw_threshold", Explainer.round(index.model(group, k).threshold()));
            byModel.put(k.id(), m);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("model", index.model(group, top).name());
        e.put("model_kind", top.id());
        e.put("model_group", group);
        e.put("score", Explainer.round(s.combined()[i]));
        e.put("threshold", 1.0);
        e.put("models", byModel);
        e.put("bundle", models.label());
        e.put("explanation", models.explainer().explain(x, i, batch, i));
        e.put("orig_bytes", v.origBytes(i));
        return e;
    }

    private void checkProfiles(ProfileScorer profiles, FlowBatchView v, int i, int n, String orig, String resp,
                               String proto) {
        int port = v.respP(i);
        ProfileScorer.Host host = profiles.host(orig);   // once: the checks and the hourly totals need it
        int findings = profiles.checkFlow(host, resp, proto, port, v.responderAnswered(i), v.announcedChannel(i));
        if (findings != 0) {
            for (SensorAlerts.ProfileKind k : SensorAlerts.PROFILE_KINDS) {
                if ((findings & k.flag()) != 0) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("finding", ProfileScorer.describe(k.flag()));
                    ProfileScorer.HostProfile p = host == null ? null : host.profile();
                    e.put("baseline_flows", p == null ? 0 : p.flows());
                    e.put("service", proto + "/" + port);
                    e.put("bundle", models.label());
                    alerts.accept(SensorAlerts.profile(k, v, i, e));
                    profileAlerts++;
                    recordAlertLatency(i, n);
                }
            }
        }
        if (host != null && host.profile() != null) {
            hours.add(v.tsStartNanos(i), orig, v.origBytes(i), hourEnded);
        }
    }

    /** A capture hour ended: check each profiled host's totals for it. */
    private void hourEnded(long hourStartNanos, String host, long conns, long bytesOut) {
        ProfileScorer profiles = models.profiles();
        if (profiles == null) {
            return;
        }
        int findings = profiles.checkHour(host, conns, bytesOut);
        for (SensorAlerts.ProfileKind k : SensorAlerts.PROFILE_KINDS) {
            if ((findings & k.flag()) != 0) {
                ProfileScorer.HostProfile p = profiles.profile(host);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("finding", ProfileScorer.describe(k.flag()));
                e.put("hour_start", dev.vigie.alerts.EveJson.timestamp(hourStartNanos));
                e.put("connections", conns);
                e.put("bytes_out", bytesOut);
                e.put("baseline_conns_p99", Explainer.round(p.connsP99()));
                e.put("baseline_bytes_out_p99", Explainer.round(p.bytesOutP99()));
                e.put("bundle", models.label());
                alerts.accept(SensorAlerts.hourly(k, hourStartNanos, host, e));
                profileAlerts++;
            }
        }
    }

    /** Replaces the models; call between batches. Returns the models replaced, for the caller to close. */
    ModelBundle swap(ModelBundle next) {
        ModelBundle old = models;
        models = next;
        modelVersion = next.site() + " v" + next.version();
        groupCache.clear();
        return old;
    }

    ModelBundle models() {
        return models;
    }

    /** End of input: the hour in progress is checked as it stands, then the score rows are flushed. */
    void finish() {
        hours.flush(hourEnded);
        scores.flush();
    }

    long batches() {
        return batches;
    }

    long rowsScored() {
        return rowsScored;
    }

    long scoringNanos() {
        return scoringNanos;
    }

    long maxBatchNanos() {
        return maxBatchNanos;
    }

    /** Latest capture time among the flow records scored so far (0 before the first batch). */
    long captureNanos() {
        return captureNanos;
    }

    long mlAlerts() {
        return mlAlerts;
    }

    long profileAlerts() {
        return profileAlerts;
    }

    @Override
    public void close() {
        models.close();
    }
}
