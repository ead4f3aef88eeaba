package dev.vigie.sensor;

import dev.vigie.alerts.Alert;
import dev.vigie.training.profiles.ProfileScorer;
import java.util.List;
import java.util.Map;

/**
 * The sensor's own alert kinds, next to the rule layer's: model anomalies and host-profile findings. Signature
 * ids 9100001–9100099 are reserved for them (docs/schema/alerts.md lists every id).
 */
final class SensorAlerts {
    static final String ML_RULE = "vigie.ml.anomaly";
    static final int ML_SID = 9100001;
    static final String ML_SIGNATURE = "VIGIE ML flow unlike the site's baseline";

    /** A host-profile finding as an alert kind. */
    record ProfileKind(int flag, String ruleId, int sid, int severity, String signature) {}

    static final List<ProfileKind> PROFILE_KINDS = List.of(
            new ProfileKind(ProfileScorer.NEW_PEER, "vigie.profile.new_peer", 9100011, 3,
                    "VIGIE profile: host contacted a peer it never contacted in the baseline"),
            new ProfileKind(ProfileScorer.UNUSUAL_PORT, "vigie.profile.unusual_port", 9100012, 3,
                    "VIGIE profile: host used a service (protocol/port) it never used in the baseline"),
            new ProfileKind(ProfileScorer.NEW_SERVED_PORT, "vigie.profile.new_served_port", 9100013, 2,
                    "VIGIE profile: server answered on a port it never served in the baseline"),
            new ProfileKind(ProfileScorer.VOLUME_HIGH, "vigie.profile.volume_high", 9100014, 2,
                    "VIGIE profile: host sent far more bytes in an hour than its baseline"),
            new ProfileKind(ProfileScorer.CONNS_HIGH, "vigie.profile.conns_high", 9100015, 3,
                    "VIGIE profile: host opened far more connections in an hour than its baseline"));

    static final String CATEGORY = "Potentially Bad Traffic";

    private SensorAlerts() {}

    static Alert ml(FlowBatchView v, int i, Map<String, Object> evidence) {
        return new Alert(v.tsStartNanos(i), v.flowId(i), v.communityId(i), v.origH(i), v.origP(i), v.respH(i),
                v.respP(i), v.proto(i), v.appProto(i), ML_SID, 1, ML_SIGNATURE, CATEGORY, 2, List.of(), List.of(),
                List.of(), List.of(), List.of("ml", "anomaly"), ML_RULE, evidence);
    }

    static Alert profile(ProfileKind kind, FlowBatchView v, int i, Map<String, Object> evidence) {
        return new Alert(v.tsStartNanos(i), v.flowId(i), v.communityId(i), v.origH(i), v.origP(i), v.respH(i),
                v.respP(i), v.proto(i), v.appProto(i), kind.sid(), 1, kind.signature(), CATEGORY, kind.severity(),
                List.of(), List.of(), List.of(), List.of(), List.of("profile"), kind.ruleId(), evidence);
    }

    /** An hourly volume finding: it is about a host, not one flow (flow_id 0, no destination). */
    static Alert hourly(ProfileKind kind, long hourStartNanos, String host, Map<String, Object> evidence) {
        return new Alert(hourStartNanos, 0, null, host, 0, "", 0, null, null, kind.sid(), 1, kind.signature(),
                CATEGORY, kind.severity(), List.of(), List.of(), List.of(), List.of(), List.of("profile"),
                kind.ruleId(), evidence);
    }
}
