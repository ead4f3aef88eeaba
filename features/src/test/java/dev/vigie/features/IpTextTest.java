package dev.vigie.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"::1", "::", "2001:db8::1", "fe80::200:86ff:fe05:80da", "2001:db8:0:1:1:1:1:1",
            "2001:0:0:1::1", "ff02::1:ff00:1", "1::", "2607:f8b0:400c:c03::1a", "192.168.0.1", "0.0.0.0"})
    void formatsLikeRfc5952(String text) throws Exception {
        byte[] a = InetAddress.getByName(text).getAddress();
        assertEquals(text, IpText.format(a.length == 4 ? 4 : 6, CommunityIdTest.hi(a), CommunityIdTest.lo(a)));
    }

    @org.junit.jupiter.api.Test
    void mac() {
        assertEquals("00:0a:0b:0c:0d:0e", IpText.mac(0x000A0B0C0D0EL));
        assertEquals(null, IpText.mac(-1));
    }
}
