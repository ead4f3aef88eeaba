package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** DHCP, HL7 over MLLP, DICOM association requests, telnet prompts. */
class SmallParsersTest {

    private static final byte[] MAC = Bytes.hex("a4b1c2d3e4f5");

    @Test
    void dhcpClientFields() {
        try (Harness h = new Harness()) {
            byte[] discover = Messages.dhcp(1, 1, MAC, Messages.option(55, new byte[] {1, 3, 6, 15, 119, (byte) 252}),
                    Messages.option(60, "MSFT 5.0".getBytes()), Messages.option(12, "DESKTOP-42".getBytes()),
                    Messages.option(50, Bytes.hex("c0a8010a")));
            byte[] offer = Messages.dhcp(2, 2, MAC, Messages.option(12, "server-said".getBytes()));
            h.udp("0.0.0.0", 68, "255.255.255.255", 67, discover);
            h.udp("192.168.1.1", 67, "255.255.255.255", 68, offer);
            h.udp("0.0.0.0", 68, "255.255.255.255", 67, Messages.dhcp(1, 3, MAC));
            Map<String, Object> first = h.finish().stream().filter(r -> Integer.valueOf(68).equals(r.get("orig_p")))
                    .findFirst().orElseThrow();
            assertEquals("dhcp", first.get("app_proto"));
            assertEquals("DISCOVER,REQUEST", first.get("dhcp_msg_type"));
            assertEquals("a4:b1:c2:d3:e4:f5", first.get("dhcp_client_mac"));
            assertEquals("192.168.1.10", first.get("dhcp_requested_addr"));
            assertEquals("DESKTOP-42", first.get("dhcp_hostname"));
            assertEquals("MSFT 5.0", first.get("dhcp_vendor_class"));
            assertEquals("1,3,6,15,119,252", first.get("dhcp_param_list"));
        }
    }

    @Test
    void dhcpOptionLengthPastTheEnd() {
        try (Harness h = new Harness()) {
            byte[] m = Messages.dhcp(1, 1, MAC, new byte[] {12, (byte) 200, 'a', 'b'});
            h.udp("0.0.0.0", 68, "255.255.255.255", 67, java.util.Arrays.copyOf(m, m.length - 1));
            Map<String, Object> row = h.only();
            assertEquals("DISCOVER", row.get("dhcp_msg_type"));
            assertNull(row.get("dhcp_hostname"));
            assertEquals(1L, h.analyzer.counters().parseErrors.get(AppProto.DHCP));
        }
    }

    @Test
    void hl7MessagesOverMllp() {
        byte[] adt = Messages.mllp("MSH|^~\\&|ADT|HOSP|LIS|HOSP|20240101120000||ADT^A01^ADT_A01|MSG1|P|2.5",
                "PID|1||SYN0001^^^HOSP^MR||TEST^SYNTHETIC");
        byte[] oru = Messages.mllp("MSH|^~\\&|LAB|HOSP|EHR|HOSP|20240101130000||ORU^R01|MSG3|P|2.5", "OBX|1|NM|718-7");
        byte[] ack = Messages.mllp("MSH|^~\\&|LIS|HOSP|ADT|HOSP|20240101120000||ACK|AMSG1|P|2.5", "MSA|AA|MSG1");
        for (int mss : new int[] {1460, 5, 1}) {
            try (Harness h = new Harness()) {
                Conversation c = new Conversation(h, "10.0.0.1", 40000, "10.0.0.9", 2575).open();
                c.mss = mss;
                c.client(adt).server(ack).client(oru).server(ack).close();
                Map<String, Object> row = h.only();
                assertEquals("hl7", row.get("app_proto"), "mss " + mss);
                assertEquals(4, row.get("hl7_messages"), "mss " + mss);
                assertEquals("ADT^A01,ACK,ORU^R01", row.get("hl7_message_types"), "mss " + mss);
                assertEquals("ADT", row.get("hl7_sending_app"));
                assertEquals("HOSP", row.get("hl7_sending_facility"));
                assertEquals("LIS", row.get("hl7_receiving_app"));
                assertEquals("HOSP", row.get("hl7_receiving_facility"));
            }
        }
    }

    @Test
    void hl7OtherSeparatorsAndGarbage() {
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 40000, "10.0.0.9", 6661).open()
                    .client(Messages.mllp("MSH#@~\\&#APP@X#FAC#R#RF#2024##ORM@O01@ORM_O01#1#P#2.3"))
                    .client(new Bytes().u8(0x0B).ascii("NOT A HEADER\r").u8(0x1C).u8(0x0D).array())
                    .client("\u000bMSH|^~\\&|truncated without end").close();
            Map<String, Object> row = h.only();
            assertEquals("ORM^O01", row.get("hl7_message_types"));
            assertEquals("APP@X", row.get("hl7_sending_app"));
            assertEquals(2, row.get("hl7_messages"));
            assertEquals(1L, h.analyzer.counters().parseErrors.get(AppProto.HL7));
        }
    }

    @Test
    void dicomAssociationRequest() {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 40000, "10.0.0.104", 11112).open();
            c.mss = 9;
            c.client(Messages.associateRq("STORESCP", "MODALITY")).server(new Bytes().u8(2).u8(0).u32(4).zeros(4).array()).close();
            Map<String, Object> row = h.only();
            assertEquals("dicom", row.get("app_proto"));
            assertEquals("MODALITY", row.get("dicom_calling_ae"));
            assertEquals("STORESCP", row.get("dicom_called_ae"));
        }
    }

    @Test
    void telnetLoginPromptAcrossSegments() {
        try (Harness h = new Harness()) {
            Conversation c = new Conversation(h, "10.0.0.1", 40000, "10.0.0.23", 23).open();
            c.server(new byte[] {(byte) 0xff, (byte) 0xfd, 0x18, (byte) 0xff, (byte) 0xfd, 0x20});
            c.client(new byte[] {(byte) 0xff, (byte) 0xfc, 0x18});
            c.server("\r\nUbuntu 22.04\r\nhost lo").server("gin: ").client("root\r\n").close();
            Map<String, Object> row = h.only();
            assertEquals("telnet", row.get("app_proto"));
            assertEquals(true, row.get("cleartext_credentials"));
        }
    }

    @Test
    void unknownContentIsNotACandidate() {
        try (Harness h = new Harness()) {
            new Conversation(h, "10.0.0.1", 40000, "10.0.0.9", 5000).open().client("some binary protocol payload").close();
            Map<String, Object> row = h.only();
            assertNull(row.get("app_proto"));
            assertEquals(0L, h.analyzer.counters().candidates);
        }
    }
}
