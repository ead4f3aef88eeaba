package dev.vigie.decode;

import java.util.Arrays;

/** Builds frames byte by byte for decoder tests: every length field is computed unless a test overrides it. */
public final class Frames {
    public static final long MAC_A = 0x0200_0000_0001L;
    public static final long MAC_B = 0x0200_0000_0002L;
    public static final long IP_A = 0xC0A8_0001L;            // 192.168.0.1
    public static final long IP_B = 0x0A00_0002L;            // 10.0.0.2
    /** 2001:db8::1 and 2001:db8::2 as hi/lo longs. */
    public static final long IP6_HI = 0x2001_0DB8_0000_0000L;
    public static final long IP6_A_LO = 1L;
    public static final long IP6_B_LO = 2L;

    private Frames() {}

    /** A growable byte sink with big-endian writers. */
    public static final class Bytes {
        private byte[] buf = new byte[128];
        private int size;

        public Bytes u8(int v) {
            ensure(1);
            buf[size++] = (byte) v;
            return this;
        }

        public Bytes u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        public Bytes u32(long v) {
            return u16((int) (v >>> 16)).u16((int) v);
        }

        public Bytes u64(long v) {
            return u32(v >>> 32).u32(v);
        }

        public Bytes mac(long v) {
            return u16((int) (v >>> 32)).u32(v);
        }

        public Bytes u32le(long v) {
            return u8((int) v).u8((int) (v >>> 8)).u8((int) (v >>> 16)).u8((int) (v >>> 24));
        }

        public Bytes bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
            return this;
        }

        public Bytes zeros(int n) {
            ensure(n);
            size += n;
            return this;
        }

        public int size() {
            return size;
        }

        public byte[] array() {
            return Arrays.copyOf(buf, size);
        }

        private void ensure(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }
    }

    public static byte[] concat(byte[]... parts) {
        Bytes b = new Bytes();
        for (byte[] p : parts) {
            b.bytes(p);
        }
        return b.array();
    }

    public static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return b;
    }

    // ---- link layers

    public static byte[] ethernet(int etherType, byte[] payload) {
        return new Bytes().mac(MAC_B).mac(MAC_A).u16(etherType).bytes(payload).array();
    }

    /** Ethernet with tags given as (TPID, VLAN id) pairs, outermost first. */
    public static byte[] ethernetTagged(int[][] tags, int etherType, byte[] payload) {
        Bytes b = new Bytes().mac(MAC_B).mac(MAC_A);
        for (int[] tag : tags) {
            b.u16(tag[0]).u16((3 << 13) | tag[1]);  // priority 3, to check it is masked off
        }
        return b.u16(etherType).bytes(payload).array();
    }

    /** Pads to the 60-byte Ethernet minimum (without FCS), as a NIC does. */
    public static byte[] padTo60(byte[] frame) {
        return frame.length >= 60 ? frame : Arrays.copyOf(frame, 60);
    }

    public static byte[] sll(int addressLength, int protocol, byte[] payload) {
        Bytes b = new Bytes().u16(0).u16(1).u16(addressLength);
        b.mac(MAC_A).u16(0);  // 8-byte address field, MAC then padding
        return b.u16(protocol).bytes(payload).array();
    }

    public static byte[] sll2(int protocol, int addressLength, byte[] payload) {
        Bytes b = new Bytes().u16(protocol).u16(0).u32(2).u16(1).u8(0).u8(addressLength);
        b.mac(MAC_A).u16(0);
        return b.bytes(payload).array();
    }

    public static byte[] nullLittleEndian(int family, byte[] payload) {
        return new Bytes().u32le(family).bytes(payload).array();
    }

    public static byte[] nullBigEndian(int family, byte[] payload) {
        return new Bytes().u32(family).bytes(payload).array();
    }

    // ---- network layers

    public static final class Ipv4 {
        public int tos = 0x28;
        public int id = 0x1234;
        public int flagsAndOffset = 0x4000; // DF
        public int ttl = 64;
        public int protocol = DecodedPacket.PROTO_TCP;
        public long src = IP_A;
        public long dst = IP_B;
        public byte[] options = new byte[0];
        /** When set, written instead of the computed total length. */
        public Integer totalLength;
        /** When set, written instead of the computed IHL (in 4-byte words). */
        public Integer ihl;

        public Ipv4 protocol(int p) {
            protocol = p;
            return this;
        }

        public Ipv4 fragment(boolean moreFragments, int offsetIn8ByteUnits) {
            flagsAndOffset = (moreFragments ? 0x2000 : 0) | offsetIn8ByteUnits;
            return this;
        }

        public byte[] build(byte[] payload) {
            int headerLength = 20 + options.length;
            int words = ihl != null ? ihl : headerLength / 4;
            int total = totalLength != null ? totalLength : headerLength + payload.length;
            return new Bytes().u8(0x40 | words).u8(tos).u16(total).u16(id).u16(flagsAndOffset)
                    .u8(ttl).u8(protocol).u16(0).u32(src).u32(dst).bytes(options).bytes(payload).array();
        }
    }

    public static Ipv4 ipv4() {
        return new Ipv4();
    }

    /** An IPv6 header followed by {@code rest} (extension headers and upper layer), payload length computed. */
    public static byte[] ipv6(int nextHeader, byte[] rest) {
        return ipv6(nextHeader, rest, rest.length);
    }

    public static byte[] ipv6(int nextHeader, byte[] rest, int payloadLength) {
        // version 6, traffic class 0xB8, flow label 0x12345
        return new Bytes().u32((6L << 28) | (0xB8L << 20) | 0x12345).u16(payloadLength).u8(nextHeader).u8(57)
                .u64(IP6_HI).u64(IP6_A_LO).u64(IP6_HI).u64(IP6_B_LO).bytes(rest).array();
    }

    /** A hop-by-hop / routing / destination-options style header: 8-byte units, padded with PadN. */
    public static byte[] extension(int nextHeader, int bodyLength, byte[] rest) {
        int total = ((2 + bodyLength + 7) / 8) * 8;
        Bytes b = new Bytes().u8(nextHeader).u8(total / 8 - 1).zeros(total - 2);
        return b.bytes(rest).array();
    }

    public static byte[] fragmentHeader(int nextHeader, int offsetIn8ByteUnits, boolean more, long id, byte[] rest) {
        return new Bytes().u8(nextHeader).u8(0).u16((offsetIn8ByteUnits << 3) | (more ? 1 : 0)).u32(id)
                .bytes(rest).array();
    }

    /** IPsec AH with a 12-byte ICV: 24 bytes, length field (24 / 4) - 2 = 4. */
    public static byte[] authenticationHeader(int nextHeader, byte[] rest) {
        return new Bytes().u8(nextHeader).u8(4).u16(0).u32(0x1000).u32(1).zeros(12).bytes(rest).array();
    }

    public static byte[] arpRequest() {
        return new Bytes().u16(1).u16(0x0800).u8(6).u8(4).u16(1)
                .mac(MAC_A).u32(IP_A).mac(0).u32(IP_B).array();
    }

    // ---- transport layers

    public static final class Tcp {
        public int srcPort = 49152;
        public int dstPort = 443;
        public long seq = 0xF000_0001L;
        public long ack = 0x8000_0002L;
        public int flags = DecodedPacket.TCP_SYN;
        public int window = 64240;
        public byte[] options = new byte[0];
        /** When set, written instead of the computed data offset (in 4-byte words). */
        public Integer dataOffset;

        public Tcp options(byte[] o) {
            options = o;
            return this;
        }

        public byte[] build(byte[] payload) {
            int optionsLength = (options.length + 3) / 4 * 4;
            int words = dataOffset != null ? dataOffset : (20 + optionsLength) / 4;
            return new Bytes().u16(srcPort).u16(dstPort).u32(seq).u32(ack)
                    .u8((words << 4) | ((flags >>> 8) & 1)).u8(flags).u16(window).u16(0).u16(0)
                    .bytes(Arrays.copyOf(options, optionsLength)).bytes(payload).array();
        }
    }

    public static Tcp tcp() {
        return new Tcp();
    }

    /** MSS 1460, NOP, WS 7, SACK-permitted, timestamps, EOL: every option the decoder reads. */
    public static byte[] allTcpOptions() {
        return new Bytes().u8(2).u8(4).u16(1460)
                .u8(1).u8(3).u8(3).u8(7)
                .u8(4).u8(2)
                .u8(8).u8(10).u32(0x0102_0304L).u32(0)
                .u8(0).array();
    }

    public static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        return udp(srcPort, dstPort, 8 + payload.length, payload);
    }

    public static byte[] udp(int srcPort, int dstPort, int length, byte[] payload) {
        return new Bytes().u16(srcPort).u16(dstPort).u16(length).u16(0).bytes(payload).array();
    }

    public static byte[] icmp(int type, int code, byte[] payload) {
        return new Bytes().u8(type).u8(code).u16(0).u16(0x77).u16(1).bytes(payload).array();
    }
}
