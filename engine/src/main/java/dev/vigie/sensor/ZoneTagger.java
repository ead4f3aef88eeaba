package dev.vigie.sensor;

import dev.vigie.alerts.Alert;
import dev.vigie.alerts.AlertSink;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds the site zones of an alert's two ends to its evidence ({@code src_zone}, {@code dest_zone}: internal,
 * partner:NAME or external), so that an analyst, a SIEM rule or a suppression can tell east-west from outbound.
 */
public final class ZoneTagger implements AlertSink {
    private final SiteConfig site;
    private final AlertSink downstream;

    public ZoneTagger(SiteConfig site, AlertSink downstream) {
        this.site = site;
        this.downstream = downstream;
    }

    @Override
    public void accept(Alert a) {
        Map<String, Object> e = new LinkedHashMap<>(a.evidence() == null ? Map.of() : a.evidence());
        e.put("src_zone", site.zone(a.srcIp()));
        String dz = site.zone(a.destIp());
        if (dz != null) {
            e.put("dest_zone", dz);
        }
        downstream.accept(new Alert(a.timestampNanos(), a.flowId(), a.communityId(), a.srcIp(), a.srcPort(), a.destIp(),
                a.destPort(), a.proto(), a.appProto(), a.signatureId(), a.rev(), a.signature(), a.category(),
                a.severity(), a.tacticIds(), a.tacticNames(), a.techniqueIds(), a.techniqueNames(), a.tags(),
                a.ruleId(), e));
    }
}
