package org.openmmsc.mm1.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressAndCharsetTest {

    @Test
    void addressKinds() {
        assertEquals(MmsAddress.Kind.PLMN, MmsAddress.parse("+4712345678/TYPE=PLMN").kind());
        assertEquals("+4712345678", MmsAddress.parse("+4712345678/TYPE=PLMN").value());
        assertEquals(MmsAddress.Kind.IPV4, MmsAddress.parse("10.1.2.3/TYPE=IPv4").kind());
        assertEquals(MmsAddress.Kind.IPV6, MmsAddress.parse("2001:0db8:0000:0000:0000:ff00:0042:8329/TYPE=IPv6").kind());
        assertEquals(MmsAddress.Kind.EMAIL, MmsAddress.parse("alice@example.com").kind());
        assertEquals(MmsAddress.Kind.SHORT_CODE, MmsAddress.parse("12345").kind());
        assertEquals(MmsAddress.Kind.SHORT_CODE, MmsAddress.parse("Erotik").kind());
        assertEquals(MmsAddress.Kind.OTHER_DEVICE, MmsAddress.parse("abc/TYPE=X-Foo").kind());
        assertEquals(MmsAddress.Kind.UNKNOWN, MmsAddress.parse("999.1.2/TYPE=IPv4").kind());
        assertEquals("+4712345678/TYPE=PLMN", MmsAddress.plmn("+4712345678").toWireText());
        assertNull(MmsAddress.parse("x").type());
    }

    @Test
    void charsetsByMibEnumThroughJava() {
        String text = "Grüße ÆØÅ";
        for (int mib : new int[] {106, 4, 1000, 1013, 1014, 1015, 2252}) {
            EncodedString encoded = EncodedString.of(text, mib);
            assertEquals(text, encoded.text(), "MIBenum " + mib);
            assertTrue(encoded.isWellFormed());
        }
        assertEquals("Привет", EncodedString.of("Привет", 8).text(), "iso-8859-5");
        assertEquals("Привет", EncodedString.of("Привет", 2084).text(), "koi8-r");
        assertEquals("ascii", EncodedString.of("ascii", 3).text());
        assertEquals(106, WspTables.charsetMib("UTF-8"));
        assertEquals(1000, WspTables.charsetMib("ucs-2"));
        assertEquals(4, WspTables.charsetMib("latin1"), "Java alias");
        assertEquals("utf-16", WspTables.charsetName(1015));
    }

    @Test
    void invalidOctetsStayReadableAndKept() {
        EncodedString broken = new EncodedString(106, ByteSlice.wrap(new byte[] {'a', (byte) 0xC3}));
        assertFalse(broken.isWellFormed());
        assertEquals("a\uFFFD", broken.text());
        EncodedString plainUtf8 = new EncodedString(EncodedString.NO_CHARSET,
                ByteSlice.wrap("é".getBytes(StandardCharsets.UTF_8)));
        assertEquals("é", plainUtf8.text(), "untagged UTF-8 as phones send it");
        EncodedString plainLatin1 = new EncodedString(EncodedString.NO_CHARSET, ByteSlice.wrap(new byte[] {(byte) 0xE9}));
        assertEquals("é", plainLatin1.text(), "untagged Latin-1 fallback");
    }
}
