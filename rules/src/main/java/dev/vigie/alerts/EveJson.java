package dev.vigie.alerts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link Alert} as one line of Suricata EVE JSON ({@code event_type: "alert"}): the field names and
 * layout SIEM parsers already know, plus a {@code vigie} object with the rule id and the evidence.
 */
public final class EveJson {
    /** Suricata's own format: microseconds and an offset without a colon, "2014-01-14T17:37:24.123456+0000". */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ")
            .withZone(ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EveJson() {}

    public static String timestamp(long nanos) {
        long sec = Math.floorDiv(nanos, 1_000_000_000L);
        int nano = (int) Math.floorMod(nanos, 1_000_000_000L);
        LocalDateTime t = LocalDateTime.ofEpochSecond(sec, nano, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return TIME.format(Instant.ofEpochSecond(sec, nano));
        }
        // TIME's layout written directly: alerts' evidence carries several timestamps and DateTimeFormatter
        // costs microseconds each (a rule firing on every scan flow pays it thousands of times a second)
        byte[] b = new byte[31];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, t.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, t.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, t.getHour(), 2);
        b[13] = ':';
        digits(b, 14, t.getMinute(), 2);
        b[16] = ':';
        digits(b, 17, t.getSecond(), 2);
        b[19] = '.';
        digits(b, 20, nano / 1000, 6);
        b[26] = '+';
        b[27] = '0';
        b[28] = '0';
        b[29] = '0';
        b[30] = '0';
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    public static void write(JsonGenerator g, Alert a) throws IOException {
        g.writeStartObject();
        g.writeStringField("timestamp", timestamp(a.timestampNanos()));
        g.writeNumberField("flow_id", a.flowId());
        g.writeStringField("event_type", "alert");
        g.writeStringField("src_ip", a.srcIp());
        g.writeNumberField("src_port", a.srcPort());
        g.writeStringField("dest_ip", a.destIp());
        g.writeNumberField("dest_port", a.destPort());
        g.writeStringField("proto", a.proto() == null ? null : a.proto().toUpperCase(java.util.Locale.ROOT));
        if (a.communityId() != null) g.writeStringField("community_id", a.communityId());
        if (a.appProto() != null) g.writeStringField("app_proto", a.appProto());
        g.writeObjectFieldStart("alert");
        g.writeStringField("action", "allowed");
        g.writeNumberField("gid", 1);
        g.writeNumberField("signature_id", a.signatureId());
        g.writeNumberField("rev", a.rev());
        g.writeStringField("signature", a.signature());
        g.writeStringField("category", a.category());
        g.writeNumberField("severity", a.severity());
        g.writeObjectFieldStart("metadata");
        list(g, "mitre_tactic_id", a.tacticIds());
        list(g, "mitre_tactic_name", a.tacticNames());
        list(g, "mitre_technique_id", a.techniqueIds());
        list(g, "mitre_technique_name", a.techniqueNames());
        list(g, "tag", a.tags());
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("vigie");
        g.writeStringField("rule_id", a.ruleId());
        g.writeFieldName("evidence");
        MAPPER.writeValue(g, a.evidence());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void list(JsonGenerator g, String name, List<String> values) throws IOException {
        if (values == null || values.isEmpty()) return;
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    /** One alert as a JSON line (no newline). */
    public static String line(Alert a) {
        try {
            java.io.StringWriter w = new java.io.StringWriter();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                write(g, a);
            }
            return w.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    static Map<String, Object> read(String line) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = MAPPER.readValue(line, Map.class);
        return m;
    }
}
