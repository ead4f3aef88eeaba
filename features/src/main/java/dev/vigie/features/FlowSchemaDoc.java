package dev.vigie.features;

import dev.vigie.schema.TableSchema;

/** Renders docs/schema/flows.md from the column definitions; a test keeps the committed file in step. */
public final class FlowSchemaDoc {
    private FlowSchemaDoc() {}

    public static String render(TableSchema<FlowRow> schema) {
        return """
                # Flow records (`vigie extract`, `vigie sense`)

                Generated from `FlowColumns.java` and the default analyzers' columns (`ProtocolColumns.java`) by
                `vigie schema flows --markdown`; do not edit by hand (a test compares this file with the code).

                One row per flow record. A flow is bidirectional, keyed by VLAN ids, IP protocol, addresses and ports.
                The **originator** (`orig_`) is the sender of the first packet seen, or of the SYN for TCP when the
                SYN-ACK came first (the history then starts with `^`); the **responder** (`resp_`) is the other side.

                A record is emitted when the flow ends: idle timeout (TCP 300 s, UDP 60 s, ICMP 60 s, other 60 s by
                default, swept by capture time), TCP close (FIN from both sides or a RST, then a 5 s linger for the
                last ACKs; a new SYN on the same tuple ends it at once), end of input, or eviction when the table is
                full (1,000,000 live flows by default). A flow longer than the active timeout (30 min) emits a record
                per period, numbered by `part`; each part's counters cover that part only, while `conn_state` and
                `history` describe the connection so far.

                Sizes: `*_ip_bytes` count IP total lengths (IP and transport headers included, link layer excluded),
                as Zeek's `orig_ip_bytes`; payload columns (`*_bytes`, `*_payload_*`) count transport payload as
                declared by the headers (TCP data, UDP data, the IP payload of other protocols), also when the
                capture's snaplen cut the packet. Standard deviations are population ones. A statistic that does not
                exist (the inter-arrival time of a one-packet flow, the MSS of a UDP flow) is null, never 0.

                Differences from CICFlowMeter, on purpose: flows are not cut at the first FIN; every packet's PSH/URG
                flags are counted; header lengths are not doubled; one-packet flows are kept; idle flows are swept
                by capture time; IPv6 is supported. CICFlowMeter's bulk and sub-flow columns are not produced (its
                sub-flow values equal the totals; bulk rates are derivable from payload and timing when needed).

                Retransmission (`*_retrans`) and out-of-order (`*_ooo`) counts are estimates from sequence numbers:
                a segment wholly below the highest sequence seen is a retransmission unless it fills the one gap we
                track per direction. Zeek's history records `s h f r` once per direction (Zeek repeats them when the
                sequence number changes) and `t w` once then at the 10th, 100th, ... occurrence.

                Protocol metadata (`app_proto` and after; left out by `vigie extract --no-protocols`) comes from
                bounded parsers: the protocol is recognised from the first payload bytes, the port only a hint (DNS,
                telnet); each TCP direction is reassembled naively in order and abandoned at a sequence gap; TLS, DNS
                over TCP, DICOM and telnet look at the first bytes only, while HTTP, FTP, SSH and HL7 follow the
                whole connection without buffering bodies. A column is null when the flow is not of its protocol or
                the value was not seen. Lists are one string with `,` between items (an item's own commas written
                `\\x2c`), at most 16 items and 1,024 characters; other strings stop at 256 characters; bytes that
                are not printable UTF-8 are written `\\xNN`. On the parts of a long flow, protocol columns describe
                the connection so far.

                Schema hash (pinned by model bundles): `%s`.

                %s""".formatted(schema.hash(), schema.markdownTable());
    }
}
