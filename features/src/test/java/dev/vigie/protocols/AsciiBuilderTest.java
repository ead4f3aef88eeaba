package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AsciiBuilderTest {

    @Test
    void decimalsMatchIntegerToStringOverTheWholeUint16RangeAndBeyond() {
        AsciiBuilder b = new AsciiBuilder();
        StringBuilder expected = new StringBuilder();
        for (int v = 0; v <= 70_000; v++) {
            if (b.length() > AsciiBuilder.CAPACITY - 16) {
                assertEquals(expected.toString(), b.toString());
                b.clear();
                expected.setLength(0);
            }
            b.decimal(v).append('-');
            expected.append(v).append('-');
        }
        b.decimal(Integer.MAX_VALUE);
        expected.append(Integer.MAX_VALUE);
        assertEquals(expected.toString(), b.toString());
    }

    @Test
    void hex4WritesTheLow16BitsInLowerCase() {
        AsciiBuilder b = new AsciiBuilder();
        for (int v : new int[] {0, 0x000a, 0x1301, 0xc02b, 0xfafa, 0xffff, 0x1_0010}) {
            assertEquals(String.format("%04x", v & 0xFFFF), b.clear().hex4(v).toString());
        }
    }

    @Test
    void digestHexIsTheDigestOfTheBytesWrittenCutToTheAskedLength() throws Exception {
        AsciiBuilder b = new AsciiBuilder();
        b.decimal(771).append(',').hex4(0x1301).append(',').decimal(65281);
        String text = "771,1301,65281";
        for (String alg : new String[] {"MD5", "SHA-256"}) {
            MessageDigest md = MessageDigest.getInstance(alg);
            String full = HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(full, b.digestHex(md, 64));
            assertEquals(full.substring(0, 12), b.digestHex(md, 12));
        }
        // the largest lists a ClientHello holds fit: the builder never has to grow
        b.clear().decimal(65535).append(',');
        for (int i = 0; i < 256; i++) b.decimal(65535).append('-');
        for (int list = 0; list < 3; list++) {
            for (int i = 0; i < 128; i++) b.decimal(65535).append('-');
        }
        for (int i = 0; i < 32; i++) b.decimal(255).append('-');
        assertTrue(b.length() <= AsciiBuilder.CAPACITY, "length " + b.length());
    }
}
