package dev.vigie.decode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Just enough pcap and pcapng reading to feed real frames to decoder tests (the real reader lives in capture/).
 * Whole file in memory, stops quietly at the first thing it does not understand.
 */
final class MiniPcap {
    record Frame(int linkType, byte[] data, int originalLength, String source) {}

    private MiniPcap() {}

    /** The shared captures folder, or null when this checkout has no ../shared. */
    static Path capturesDir() {
        String shared = System.getProperty("vigie.shared");
        if (shared == null) {
            return null;
        }
        Path dir = Path.of(shared, "captures");
        return Files.isDirectory(dir) ? dir : null;
    }

    static List<Path> captureFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".cap")
                                || n.endsWith(".pcap.gz");
                    })
                    .sorted()
                    .toList();
        }
    }

    static List<Frame> read(Path file, int maxFrames) throws IOException {
        byte[] bytes;
        if (file.getFileName().toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                bytes = in.readAllBytes();
            }
        } else {
            bytes = Files.readAllBytes(file);
        }
        List<Frame> frames = new ArrayList<>();
        if (bytes.length < 24) {
            return frames;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int magic = buf.getInt(0);
        String name = file.getFileName().toString();
        if (magic == 0x0A0D0D0A) {
            readPcapng(buf, maxFrames, frames, name);
        } else {
            readPcap(buf, magic, maxFrames, frames, name);
        }
        return frames;
    }

    private static void readPcap(ByteBuffer buf, int magic, int maxFrames, List<Frame> frames, String name) {
        if (magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1) {
            buf.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            return;
        }
        int linkType = buf.getInt(20) & 0x0FFFFFFF;  // the top bits may carry FCS information
        int p = 24;
        while (frames.size() < maxFrames && p + 16 <= buf.limit()) {
            int caplen = buf.getInt(p + 8);
            int origlen = buf.getInt(p + 12);
            if (caplen < 0 || caplen > buf.limit() - p - 16) {
                return;
            }
            byte[] data = new byte[caplen];
            buf.get(p + 16, data);
            frames.add(new Frame(linkType, data, origlen, name));
            p += 16 + caplen;
        }
    }

    private static void readPcapng(ByteBuffer buf, int maxFrames, List<Frame> frames, String name) {
        List<Integer> interfaces = new ArrayList<>();
        int p = 0;
        while (frames.size() < maxFrames && p + 12 <= buf.limit()) {
            int type = buf.getInt(p);
            if (type == 0x0A0D0D0A) {
                int bom = buf.getInt(p + 8);
                buf.order(bom == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                interfaces.clear();
            }
            int length = buf.getInt(p + 4);
            if (length < 12 || length > buf.limit() - p) {
                return;
            }
            if (type == 1 && length >= 20) {                     // interface description
                interfaces.add(buf.getShort(p + 8) & 0xFFFF);
            } else if (type == 6 && length >= 32) {              // enhanced packet
                int iface = buf.getInt(p + 8);
                int caplen = buf.getInt(p + 20);
                int origlen = buf.getInt(p + 24);
                if (iface < 0 || iface >= interfaces.size() || caplen < 0 || caplen > length - 32) {
                    return;
                }
                byte[] data = new byte[caplen];
                buf.get(p + 28, data);
                frames.add(new Frame(interfaces.get(iface), data, origlen, name));
            } else if (type == 3 && length >= 16 && !interfaces.isEmpty()) { // simple packet
                int origlen = buf.getInt(p + 8);
                int caplen = Math.min(origlen, length - 16);
                if (caplen < 0) {
                    return;
                }
                byte[] data = new byte[caplen];
                buf.get(p + 12, data);
                frames.add(new Frame(interfaces.get(0), data, origlen, name));
            }
            p += length;
        }
    }
}
