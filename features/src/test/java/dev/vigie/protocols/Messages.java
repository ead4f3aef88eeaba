package dev.vigie.protocols;

/** Crafted protocol messages shared by the parser tests and the fuzz loop. */
final class Messages {
    private Messages() {}

    // ---- DNS

    static Bytes dnsName(Bytes b, String name) {
        if (!name.isEmpty()) {
            for (String label : name.split("\\.")) {
                b.u8(label.length()).ascii(label);
            }
        }
        return b.u8(0);
    }

    static byte[] dnsQuery(int id, String name, int qtype) {
        Bytes b = new Bytes().u16(id).u16(0x0100).u16(1).u16(0).u16(0).u16(0);
        dnsName(b, name).u16(qtype).u16(1);
        return b.array();
    }

    /** A response whose answers all point back to the question name (offset 12). */
    static byte[] dnsResponse(int id, String name, int qtype, int rcode, byte[]... rdatas) {
        Bytes b = new Bytes().u16(id).u16(0x8180 | rcode).u16(1).u16(rdatas.length).u16(0).u16(0);
        dnsName(b, name).u16(qtype).u16(1);
        for (byte[] rd : rdatas) {
            b.u16(0xC00C).u16(qtype).u16(1).u32(300).u16(rd.length).bytes(rd);
        }
        return b.array();
    }

    // ---- TLS

    static final int[] SPEC_CIPHERS = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
        0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    static final int[] SPEC_EXTENSIONS = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005,
        0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015};
    static final int[] SPEC_SIGALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    /**
     * The ClientHello of the JA4 spec's example: its 15 ciphers and 16 extensions, ALPN h2, supported_versions
     * offering TLS 1.3, its signature algorithms; plus GREASE values, which JA4 must ignore.
     */
    static byte[] specClientHello(String sni, boolean grease, boolean sigAlgs) {
        Bytes ciphers = new Bytes();
        if (grease) {
            ciphers.u16(0x5a5a);
        }
        for (int c : SPEC_CIPHERS) {
            ciphers.u16(c);
        }
        Bytes exts = new Bytes();
        if (grease) {
            exts.u16(0x2a2a).u16(0);
        }
        for (int e : SPEC_EXTENSIONS) {
            Bytes data = new Bytes();
            switch (e) {
                case 0x0000 -> data.block(2, new Bytes().u8(0).block(2, new Bytes().ascii(sni)));
                case 0x0010 -> data.block(2, new Bytes().block(1, new Bytes().ascii("h2")).block(1, new Bytes().ascii("http/1.1")));
                case 0x002b -> data.block(1, grease ? new Bytes().u16(0x7a7a).u16(0x0304).u16(0x0303) : new Bytes().u16(0x0304).u16(0x0303));
                case 0x000d -> {
                    Bytes s = new Bytes();
                    for (int a : sigAlgs ? SPEC_SIGALGS : new int[0]) {
                        s.u16(a);
                    }
                    data.block(2, s);
                }
                case 0x000a -> data.block(2, grease ? new Bytes().u16(0x8a8a).u16(29).u16(23).u16(24) : new Bytes().u16(29).u16(23).u16(24));
                case 0x000b -> data.block(1, new Bytes().u8(0));
                default -> { }
            }
            exts.u16(e).block(2, data);
        }
        Bytes body = new Bytes().u16(0x0303).zeros(32).block(1, new Bytes().zeros(32)).block(2, ciphers)
                .block(1, new Bytes().u8(0)).block(2, exts);
        return handshakeRecord(1, body.array());
    }

    static byte[] handshakeRecord(int type, byte[] body) {
        Bytes msg = new Bytes().u8(type).block(3, new Bytes().bytes(body));
        return new Bytes().u8(22).u16(0x0301).block(2, msg).array();
    }

    static byte[] serverHello(int version, int cipher, boolean supportedVersions) {
        Bytes exts = new Bytes();
        if (supportedVersions) {
            exts.u16(0x002b).block(2, new Bytes().u16(version));
        }
        Bytes body = new Bytes().u16(supportedVersions ? 0x0303 : version).zeros(32).block(1, new Bytes().zeros(32))
                .u16(cipher).u8(0).block(2, exts);
        return handshakeRecord(2, body.array());
    }

    static byte[] certificate(byte[]... ders) {
        Bytes list = new Bytes();
        for (byte[] d : ders) {
            list.block(3, new Bytes().bytes(d));
        }
        return handshakeRecord(11, new Bytes().block(3, list).array());
    }

    // ---- SSH

    /** A cleartext SSH binary packet carrying message {@code code} and {@code payload} (no MAC). */
    static byte[] sshPacket(int code, int payload) {
        int padding = 8 - ((5 + 1 + payload) % 8);
        if (padding < 4) {
            padding += 8;
        }
        int length = 1 + 1 + payload + padding;
        return new Bytes().u32(length).u8(padding).u8(code).zeros(payload).zeros(padding).array();
    }

    // ---- DHCP

    static byte[] dhcp(int op, int type, byte[] mac, byte[]... options) {
        Bytes b = new Bytes().u8(op).u8(1).u8(6).u8(0).u32(0x12345678).u16(0).u16(0).u32(0).u32(0).u32(0).u32(0);
        b.bytes(mac).zeros(10).zeros(64).zeros(128).u32(0x63825363);
        b.u8(53).u8(1).u8(type);
        for (byte[] o : options) {
            b.bytes(o);
        }
        return b.u8(255).array();
    }

    static byte[] option(int code, byte[] value) {
        return new Bytes().u8(code).u8(value.length).bytes(value).array();
    }

    // ---- HL7 and DICOM

    static byte[] mllp(String... segments) {
        return new Bytes().u8(0x0B).ascii(String.join("\r", segments)).ascii("\r").u8(0x1C).u8(0x0D).array();
    }

    static byte[] associateRq(String called, String calling) {
        Bytes items = new Bytes().u8(0x10).u8(0).block(2, new Bytes().ascii("1.2.840.10008.3.1.1.1"));
        Bytes body = new Bytes().u16(1).u16(0).ascii(pad16(called)).ascii(pad16(calling)).zeros(32).bytes(items.array());
        return new Bytes().u8(0x01).u8(0).block(4, body).array();
    }

    static String pad16(String s) {
        return (s + "                ").substring(0, 16);
    }
}
