package dev.vigie.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live capture through libpcap. Only loopback traffic we send ourselves is captured. Tests that need libpcap or
 * capture rights skip without them; the error messages are checked either way.
 */
class LivePacketSourceTest {

    @Test
    void unknownInterfaceIsAOneLineMessage() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> LivePacketSource.open(LiveCaptureConfig.of("vigie-nope9"), new CaptureCounters()));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith("cannot open interface vigie-nope9: "), m);
        // Which reason depends on the machine: no libpcap, no rights, or (normally) no such interface.
        assertTrue(m.endsWith("no such interface") || m.contains("permission denied") || m.contains("libpcap not found"), m);
    }

    @Test
    void missingLibpcapIsAOneLineMessage() throws Exception {
        // pcap4j binds libpcap once per JVM, so a JVM whose library name points nowhere plays the machine without it.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so",
                "-cp", System.getProperty("java.class.path"), OpenAndPrint.class.getName(), "eth0")
                .redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals("cannot open interface eth0: libpcap not found (install it, e.g. apt-get install libpcap0.8)", out);
    }

    /** Prints the CaptureException message of opening args[0]; run in a child JVM. */
    public static final class OpenAndPrint {
        public static void main(String[] args) {
            try {
                LivePacketSource.open(LiveCaptureConfig.of(args[0]), new CaptureCounters()).close();
                System.out.println("opened");
            } catch (CaptureException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void openFailureMessagesByLibpcapCode() {
        assertEquals("cannot open interface eth9: permission denied (run as root or grant CAP_NET_RAW to java)",
                LivePacketSource.openFailureMessage("eth9", -8, "eth9: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)"));
        assertEquals("cannot open interface eth9: permission denied (run as root or grant CAP_NET_RAW to java)",
                LivePacketSource.openFailureMessage("eth9", null, "socket: Operation not permitted"));
        assertEquals("cannot open interface eth9: no such interface",
                LivePacketSource.openFailureMessage("eth9", -5, "eth9: No such device exists (SIOCGIFHWADDR: No such device)"));
        assertEquals("cannot open interface eth9: interface is down", LivePacketSource.openFailureMessage("eth9", -9, ""));
        assertEquals("cannot open interface eth9: something odd", LivePacketSource.openFailureMessage("eth9", -1, "something odd\nmore"));
    }

    @Test
    void configIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> LiveCaptureConfig.of(" "));
        assertThrows(IllegalArgumentException.class, () -> LiveCaptureConfig.of("lo").withSnaplen(0));
        assertThrows(IllegalArgumentException.class, () -> LiveCaptureConfig.of("lo").withSnaplen(CapturedPacket.MAX_CAPTURE_LENGTH + 1));
        assertThrows(IllegalArgumentException.class, () -> LiveCaptureConfig.of("lo").withReadTimeoutMillis(0));
        assertEquals("", new LiveCaptureConfig("lo", null, 100, false, 10).filter());
    }

    /** Opens lo or skips when this machine cannot capture (no libpcap, no rights, no lo). */
    private static LivePacketSource openLoopback(LiveCaptureConfig config, CaptureCounters counters) {
        try {
            return LivePacketSource.open(config, counters);
        } catch (CaptureException e) {
            assumeTrue(false, "cannot capture here: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void invalidFilterIsAOneLineMessage() {
        CaptureCounters counters = new CaptureCounters();
        // Skip first if we cannot open lo at all, so the filter is what fails below.
        openLoopback(LiveCaptureConfig.of("lo"), counters).close();
        CaptureException e = assertThrows(CaptureException.class,
                () -> LivePacketSource.open(LiveCaptureConfig.of("lo").withFilter("udp and port nonsense-word"), counters));
        assertTrue(e.getMessage().startsWith("invalid capture filter 'udp and port nonsense-word': "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void capturesALoopbackDatagramThroughAFilter() throws Exception {
        CaptureCounters counters = new CaptureCounters();
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = receiver.getLocalPort();
            LiveCaptureConfig config = LiveCaptureConfig.of("lo")
                    .withFilter("udp and dst host 127.0.0.1 and dst port " + port)
                    .withPromiscuous(false)
                    .withSnaplen(128)
                    .withReadTimeoutMillis(50);
            try (LivePacketSource live = openLoopback(config, counters)) {
                byte[] payload = ("vigie live test " + port).getBytes(StandardCharsets.US_ASCII);
                long before = System.currentTimeMillis() * 1_000_000L;
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    // Keep sending until seen: the capture may be armed a moment after open returns.
                    for (int i = 0; i < 50; i++) {
                        try {
                            sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                CapturedPacket p = assertTimeoutPreemptively(Duration.ofSeconds(10), live::next);
                sending.cancel(true);
                assertTrue(p != null, "no packet");
                assertEquals(LinkType.ETHERNET, p.linkType, "Linux lo is DLT_EN10MB");
                // Ethernet 14 + IPv4 20 + UDP 8 + payload, not cut by the 128-byte snaplen.
                assertEquals(14 + 20 + 8 + payload.length, p.captureLength);
                assertEquals(p.captureLength, p.originalLength);
                String seen = new String(p.data, 42, payload.length, StandardCharsets.US_ASCII);
                assertEquals(new String(payload, StandardCharsets.US_ASCII), seen);
                assertTrue(Math.abs(p.timestampNanos - before) < 60_000_000_000L, "timestamp near now: " + p.timestampNanos);
                assertTrue(counters.packets >= 1);
                assertTrue(live.bytesConsumed() >= p.captureLength);
                assertEquals(-1, live.bytesTotal());
            }
            assertEquals(0, counters.errors.total());
            assertTrue(counters.kernelDrops >= 0 && counters.interfaceDrops >= 0);
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedNext() throws Exception {
        CaptureCounters counters = new CaptureCounters();
        // A filter nothing matches, and a long timeout: only close() can end next() quickly.
        LiveCaptureConfig config = LiveCaptureConfig.of("lo").withFilter("udp and port 9 and host 192.0.2.77").withReadTimeoutMillis(3000);
        LivePacketSource live = openLoopback(config, counters);
        CompletableFuture<CapturedPacket> reader = CompletableFuture.supplyAsync(live::next);
        Thread.sleep(300);
        assertFalse(reader.isDone(), "next() returned while nothing was captured");
        long start = System.nanoTime();
        live.close();
        CapturedPacket p = reader.get(10, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertNull(p);
        assertNull(live.fault());
        assertNull(live.next(), "closed source stays ended");
        live.close();
        assertTrue(millis < 5000, "close took " + millis + " ms");
        System.out.println("live capture: close() ended a blocked next() in " + millis + " ms");
    }
}
