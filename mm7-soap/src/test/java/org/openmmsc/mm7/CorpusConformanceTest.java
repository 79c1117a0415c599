package org.openmmsc.mm7;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmmsc.mm7.codec.Attachment;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Address;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;
import org.openmmsc.mm7.codec.SubmitRequest;
import org.w3c.dom.Element;

/**
 * Every MM7 message in ../shared/corpus/mm7 decodes to the values its INDEX.md lists. The corpus is
 * read in place (never copied here); without it the tests are skipped.
 */
class CorpusConformanceTest {
    private static final String REL6 = Mm7Namespace.PREFIX + "REL-6-MM7-1-4";
    private final Mm7SoapCodec codec = new Mm7SoapCodec();

    private static byte[] corpus(String name) throws IOException {
        String shared = System.getProperty("openmmsc.sharedDir");
        assumeTrue(shared != null, "openmmsc.sharedDir not set");
        Path p = Path.of(shared, "corpus", "mm7", name);
        assumeTrue(Files.isReadable(p), "corpus file absent: " + p);
        return Files.readAllBytes(p);
    }

    /** The files hold bodies only; their HTTP Content-Type is given in INDEX.md, or named by the first boundary line. */
    private static String multipartType(byte[] body) {
        for (String line : new String(body, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            if (line.startsWith("--")) return "multipart/related; boundary=\"" + line.substring(2).strip() + "\"; type=\"text/xml\"";
        }
        throw new AssertionError("no boundary line");
    }

    @Test
    void savonTextXmlSubmitReqParsesToTheIndexedValues() throws Exception {
        Mm7Envelope env = codec.decode(corpus("savonmultipart_not_multipart.txt"), "text/xml; charset=UTF-8");
        assertSavonSubmit(env);
        assertTrue(env.attachments().isEmpty());
    }

    @Test
    void savonMultipartSubmitReqHasTheEnvelopeAndOneNestedMultipart() throws Exception {
        Mm7Envelope env = codec.decode(corpus("savonmultipart_multipart.txt"),
                "multipart/related; boundary=\"--==_mimepart_4d416ae62fd32_201a8043814c4724\"; charset=UTF-8; type=\"text/xml\"");
        SubmitRequest req = assertSavonSubmit(env);
        assertEquals(1, env.attachments().size());
        Attachment content = env.attachment(req.contentHref());
        assertEquals("attachment_1", content.contentId());
        List<Attachment> parts = Mm7SoapCodec.splitMultipart(content);
        assertEquals(3, parts.size());
        assertTrue(parts.get(0).contentType().startsWith("application/smil"));
        assertTrue(parts.get(1).contentType().startsWith("image/gif"));
        assertEquals("This is a test message from Github", new String(parts.get(2).content(), StandardCharsets.UTF_8).strip());
    }

    private static SubmitRequest assertSavonSubmit(Mm7Envelope env) throws Mm7Exception {
        assertEquals(Mm7Namespace.PREFIX + "REL-5-MM7-1-2", env.namespace());
        assertEquals("SubmitReq", env.operation());
        assertEquals("2011012713535811111111111", env.transactionId());
        assertEquals("5.3.0", env.version());
        SubmitRequest req = SubmitRequest.parse(env.body());
        assertEquals("messaging", req.vaspId());
        assertEquals("ADM", req.vasId());
        assertEquals(new Mm7Address(Mm7Address.Kind.SHORT_CODE, "1111", false), req.senderAddress());
        assertEquals(List.of(new Mm7Address(Mm7Address.Kind.NUMBER, "11111111111", false)), req.to());
        assertEquals("1", req.serviceCode());
        assertEquals("Personal", req.messageClass());
        assertEquals("2011-01-28T13:53:58Z", req.expiryDate());
        assertEquals(false, req.deliveryReport());
        assertEquals(false, req.readReply());
        assertEquals("Normal", req.priority());
        assertEquals("Test MMS via Savon", req.subject());
        assertEquals("Sender", req.chargedParty());
        assertEquals("cid:attachment_1", req.contentHref());
        assertEquals(true, req.allowAdaptations());
        return req;
    }

    @Test
    void annexDeliverReqWithHttpHeadersParses() throws Exception {
        byte[] file = corpus("instantcom_deliver-req-post.txt");
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\n\n");
        byte[] body = java.util.Arrays.copyOfRange(file, headerEnd + 2, file.length);
        String contentType = text.lines().filter(l -> l.startsWith("Content-Type:")).findFirst().orElseThrow().substring(13).strip();
        Mm7Envelope env = codec.decode(body, contentType);
        assertAnnexDeliver(env);
        // The annex's href (…200102…) does not match the part's Content-ID (…2000102…); the only attachment is taken.
        assertEquals("Los Angeles, Calif, USA", new String(env.attachment("cid:forecast-location200102-86453").content(), StandardCharsets.UTF_8).strip());
    }

    @Test
    void annexDeliverReqBodiesParse() throws Exception {
        Mm7Envelope one = codec.decode(corpus("instantcom_deliver-req1.txt"), multipartType(corpus("instantcom_deliver-req1.txt")));
        assertAnnexDeliver(one);
        assertEquals("forecast-location2000102-86453", one.attachment("cid:forecast-location2000102-86453").contentId());
        Mm7Envelope two = codec.decode(corpus("instantcom_deliver-req2.txt"), multipartType(corpus("instantcom_deliver-req2.txt")));
        assertAnnexDeliver(two);
        List<Attachment> parts = Mm7SoapCodec.splitMultipart(two.attachments().getFirst());
        assertEquals(2, parts.size());
        assertEquals("Science news, new Saturn pictures...", new String(parts.get(0).content(), StandardCharsets.US_ASCII).strip());
        assertEquals("GIF87a", new String(parts.get(1).content(), 0, 6, StandardCharsets.US_ASCII), "base64 body decoded");
    }

    private static void assertAnnexDeliver(Mm7Envelope env) {
        assertEquals(REL6, env.namespace());
        assertEquals("DeliverReq", env.operation());
        assertEquals("vas00324-dlvr", env.transactionId());
        assertEquals("6.7.0", env.version());
        Element b = env.body();
        assertEquals("TNN", Elements.text(b, "VASPID"));
        assertEquals("Reminder", Elements.text(b, "VASID"));
        assertEquals("240.110.75.34", Elements.text(b, "MMSRelayServerID"));
        assertEquals("wthr8391", Elements.text(b, "LinkedID"));
        assertEquals("97254265781@OMMS.com", Elements.text(Elements.child(b, "Sender"), "RFC2822Address"));
        assertEquals("2002-04-15T14:35:21-05:00", Elements.text(b, "TimeStamp"));
        assertEquals("Normal", Elements.text(b, "Priority"));
        assertEquals("Weather Forecast", Elements.text(b, "Subject"));
    }

    @Test
    void nokiaMc5DeliverReqWithPrefixesParses() throws Exception {
        byte[] body = corpus("instantcom_deliver-req3.txt");
        Mm7Envelope env = codec.decode(body, multipartType(body));
        assertEquals(REL6, env.namespace());
        assertEquals("4E073C7AQ479306TW26785I371H3M1HA", env.transactionId());
        assertEquals("6.8.0", env.version());
        Element b = env.body();
        assertEquals("Nokia MMS Center MC5.0", Elements.text(b, "MMSRelayServerID"));
        assertEquals("0402105226100000000000000", Elements.text(b, "LinkedID"));
        assertEquals("+3859100010010/TYPE=PLMN", Elements.text(Elements.child(b, "Sender"), "Number"));
        assertEquals("88888/TYPE=PLMN", Elements.text(Elements.child(Elements.child(b, "Recipients"), "To"), "Number"));
        assertEquals("2010-04-02T10:52:26Z", Elements.text(b, "TimeStamp"));
        assertEquals("Bomb", Elements.text(b, "Subject"));
        Attachment content = env.attachment(Elements.attribute(Elements.child(b, "Content"), "href"));
        List<Attachment> parts = Mm7SoapCodec.splitMultipart(content);
        assertEquals(List.of("application/smil", "image/gif"), parts.stream().map(p -> p.contentType().split(";")[0].strip()).toList());
        assertEquals("GIF8", new String(parts.get(1).content(), 0, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void minimalDeliverReqWithLargeJpegParses() throws Exception {
        byte[] body = corpus("instantcom_deliver-req4.txt");
        Mm7Envelope env = codec.decode(body, multipartType(body));
        assertEquals("0Q296S401H79CPSU13V1K431DRK3G49M", env.transactionId());
        assertEquals("6.8.0", env.version());
        assertEquals(null, Elements.child(env.body(), "Sender"));
        List<Attachment> parts = Mm7SoapCodec.splitMultipart(env.attachment("cid:mm7-content"));
        assertEquals(2, parts.size());
        assertTrue(parts.stream().anyMatch(p -> p.contentType().startsWith("image/jpeg") && (p.content()[0] & 0xFF) == 0xFF && (p.content()[1] & 0xFF) == 0xD8));
    }

    @Test
    void serbianDeliverReqWithNamespacedHrefAndBareContentIdParses() throws Exception {
        byte[] body = corpus("instantcom_deliver-req5.txt");
        Mm7Envelope env = codec.decode(body, "multipart/related; boundary=\"----=_Part_15_16023213.1346680532641\"; type=text/xml");
        assertEquals(REL6, env.namespace());
        assertEquals("11398c6a2e9f00000010", env.transactionId());
        assertEquals("6.8.0", env.version());
        Element b = env.body();
        assertEquals("xmmc1", Elements.text(b, "MMSRelayServerID"));
        assertEquals("xmmc", Elements.text(b, "VASPID"));
        assertEquals("xmmc", Elements.text(b, "VASID"));
        assertEquals("+381600001200", Elements.text(Elements.child(b, "Sender"), "Number"));
        assertEquals("121399", Elements.text(Elements.child(Elements.child(b, "Recipients"), "To"), "ShortCode"));
        assertEquals("2012-09-03T15:55:25.000+02:00", Elements.text(b, "TimeStamp"));
        assertEquals("(no subject)", Elements.text(b, "Subject"));
        String href = Elements.attribute(Elements.child(b, "Content"), "href");
        assertEquals("cid: content_15", href);
        Attachment content = env.attachment(href);
        assertNotNull(content);
        assertEquals("content_15", content.contentId());
    }

    @Test
    void faultsFromRealMmscsAreUnderstood() throws Exception {
        Mm7Envelope nokia = codec.decode(corpus("instantcom_fault.xml"), "text/xml");
        assertEquals("RSErrorRsp", nokia.operation());
        assertEquals("123456", nokia.transactionId());
        assertEquals("6.8.0", nokia.version());
        assertEquals("4002", Elements.text(Elements.child(nokia.body(), "Status"), "StatusCode"));
        assertEquals("Unsupported version", Elements.text(Elements.child(nokia.body(), "Status"), "StatusText"));

        Mm7Envelope prefixed = codec.decode(corpus("instantcom_fault_02.xml"), "text/xml; charset=utf-8");
        assertEquals(Mm7Namespace.PREFIX + "REL-5-MM7-1-3", prefixed.namespace());
        assertEquals("RSErrorRsp", prefixed.operation());
        assertEquals("0_1500103103727", prefixed.transactionId());
        assertEquals("5.3.0", prefixed.version());
        assertEquals("2002", Elements.text(Elements.child(prefixed.body(), "Status"), "StatusCode"));
        assertEquals("Address Error", Elements.text(Elements.child(prefixed.body(), "Status"), "StatusText"));
    }

    @Test
    void submitRspInAnUnofficialNamespaceIsUnderstood() throws Exception {
        Mm7Envelope env = codec.decode(corpus("instantcom_submit-rsp.xml"), "text/xml");
        assertEquals(Mm7Namespace.PREFIX + "REL-6-MM7-6-7", env.namespace());
        assertEquals("SubmitRsp", env.operation());
        assertEquals("vas00001-sub", env.transactionId());
        assertEquals("6.7.0", env.version());
        assertEquals("1000", Elements.text(Elements.child(env.body(), "Status"), "StatusCode"));
        assertEquals("Success", Elements.text(Elements.child(env.body(), "Status"), "StatusText"));
        assertEquals("041502073667", Elements.text(env.body(), "MessageID"));
        assertEquals("ifx.com.neon.downloadedPackage.MAFIA", Elements.text(env.body(), "ApplicID"));
        assertFalse(env.body().getTextContent().isEmpty());
        assertArrayEquals(new byte[0], new byte[0]);
    }
}
