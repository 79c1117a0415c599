package org.openmmsc.mm1.codec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The source projects' own assertions from INDEX.md that the AOSP/tshark lines do not cover: wire
 * order of parts, parameters, part headers, tolerance cases.
 */
class CorpusAssertionsTest {
    private static Path corpus;
    private final MmsDecoder decoder = new MmsDecoder();

    @BeforeAll
    static void locate() {
        corpus = CorpusIndex.corpusDirectory();
    }

    private MmsPdu decode(String file) throws Exception {
        assumeTrue(corpus != null, "shared corpus not present");
        return decoder.decode(Files.readAllBytes(corpus.resolve(file)));
    }

    private static List<Part> parts(MmsPdu pdu) {
        return ((MessageBody.Multipart) pdu.body()).parts();
    }

    @Test
    void sonyEricssonPartsInWireOrderWithNames() throws Exception {
        MmsPdu.SendReq pdu = assertInstanceOf(MmsPdu.SendReq.class, decode("pymessaging_SonyEricssonT310-R201.mms"));
        assertEquals("1-8db", pdu.transactionId());
        assertTrue(pdu.from().insertAddress());
        assertEquals(List.of("55225/TYPE=PLMN"), pdu.to());
        assertEquals(1079595034L, pdu.date());
        assertNull(pdu.subject());
        assertEquals("<AAAA>", pdu.contentType().parameter("Start"));
        assertEquals("application/smil", pdu.contentType().parameter("Type"));
        List<Part> parts = parts(pdu);
        assertEquals(List.of("image/gif", "text/plain", "audio/midi", "application/smil"),
                parts.stream().map(p -> p.contentType().mediaType()).toList());
        assertEquals("Tony.gif", parts.get(0).contentType().parameter("Name"));
        assertEquals("Hej hopp", parts.get(1).text());
        assertEquals("OldhPhone.mid", parts.get(2).contentType().parameter("Name"));
    }

    @Test
    void textualParameterNameIsKeptUntyped() throws Exception {
        List<Part> parts = parts(decode("pymessaging_gallery2test.mms"));
        Parameter name = parts.get(2).contentType().parameters().getFirst();
        assertEquals(new Parameter("name", Parameter.UNTYPED, "gnu-head.jpg", null), name);
        assertEquals("Jgj", parts.get(1).text());
    }

    @Test
    void iphoneStartAndType() throws Exception {
        MmsPdu.SendReq pdu = (MmsPdu.SendReq) decode("pymessaging_iPhone.mms");
        assertEquals("0.smil", pdu.contentType().parameter("Start"));
        assertEquals("application/smil", pdu.contentType().parameter("Type"));
        assertEquals("IMG_6807.jpg", parts(pdu).get(1).contentType().parameter("Name"));
        // Exactly the headers python-messaging lists, nothing else.
        assertEquals(java.util.Set.of("X-Mms-Transaction-Id", "X-Mms-MMS-Version", "From", "To", "Content-Type"),
                java.util.Set.copyOf(pdu.headers().list().stream().map(MmsHeader::name).toList()));
        assertEquals(5, pdu.headers().list().size());
    }

    @Test
    void utf8TextPartsAndSubjects() throws Exception {
        assertEquals("Jonatan är en GNU", parts(decode("pymessaging_projekt_exempel.mms")).stream()
                .filter(p -> p.contentType().hasMediaType("text/plain")).findFirst().orElseThrow().text().strip());
        MmsPdu.SendReq pdu = (MmsPdu.SendReq) decode("pymessaging_27d0a048cd79555de05283a22372b0eb.mms");
        assertEquals("Angående art-tillhörighet", pdu.subject().text());
        assertTrue(pdu.subject().isWellFormed());
    }

    @Test
    void rawByteInUsAsciiTextIsKept() throws Exception {
        List<Part> parts = parts(decode("pymessaging_m.mms"));
        assertEquals(9, parts.size());
        byte[] prasentiert = parts.get(7).data().toByteArray();
        assertEquals((byte) 0xE4, prasentiert[2]);
        assertEquals("us-ascii", parts.get(7).contentType().charset());
    }

    /** mms-engine stores parts under their Content-ID, or "<Content-Location>" when a part has none. */
    private static String storedId(Part part) {
        return part.contentId() != null ? part.contentId() : "<" + part.contentLocation() + ">";
    }

    @Test
    void jollaPartsHaveTheAssertedContentIds() throws Exception {
        List<Part> parts = parts(decode("jolla_test_retrieve_Success2_m-retrieve.conf"));
        assertEquals(List.of("image/jpeg <2014_03_.jpg>", "text/plain <Test_mms.txt>", "application/smil <332047400>"),
                parts.stream().map(p -> p.contentType().mediaType() + " " + storedId(p)).toList());
        assertEquals("utf-8", parts.get(1).contentType().charset());
        List<Part> success1 = parts(decode("jolla_test_retrieve_Success1_m-retrieve.conf"));
        assertEquals(List.of("<0>", "<text_0011.txt>", "<131200181.jpg>", "<text_0021.txt>", "<140100041.jpg>"),
                success1.stream().map(CorpusAssertionsTest::storedId).toList());
    }

    @Test
    void transferEncodedTextPartsDecodeToTheSameText() throws Exception {
        Part base64 = parts(decode("jolla_test_retrieve_Base64_m-retrieve.conf")).get(2);
        Part quotedPrintable = parts(decode("jolla_test_retrieve_QuotedPrintable_m-retrieve.conf")).get(2);
        assertEquals("base64", base64.header("Content-Transfer-Encoding").toLowerCase());
        assertEquals(39, base64.decodedData().length());
        assertEquals(39, quotedPrintable.decodedData().length());
        assertArrayEquals(base64.decodedData().toByteArray(), quotedPrintable.decodedData().toByteArray());
    }

    @Test
    void invalidSubjectDoesNotFailDecoding() throws Exception {
        MmsPdu.RetrieveConf pdu = (MmsPdu.RetrieveConf) decode("jolla_test_retrieve_InvalidSubject_m-retrieve.conf");
        assertEquals(2, parts(pdu).size());
        assertEquals("<start>", parts(pdu).get(0).contentId());
    }

    @Test
    void unrecognisedHeaderIsKeptAndUnrecognisedClassIsText() throws Exception {
        MmsPdu pdu281 = decode("mmsd_rc-mms-1-3-con-281.mms");
        assertTrue(pdu281.headers().list().stream().anyMatch(h -> h.code() == MmsHeader.APPLICATION
                && h.name().equals("X-MMS-Unrecognised-Header-Field")), pdu281.headers().toString());
        MmsPdu pdu282 = decode("mmsd_rc-mms-1-3-con-282.mms");
        assertEquals(new HeaderValue.TokenText("NewMessageClass"), pdu282.headers().first(MmsField.MESSAGE_CLASS));
    }

    @Test
    void strayNulAfterEmptyBccIsTolerated() throws Exception {
        MmsPdu pdu = decode("jolla_test_retrieve_Success2_m-notification.ind");
        List<MmsHeader> headers = pdu.headers().list();
        assertEquals(MmsHeader.STRAY, headers.getLast().code());
        assertEquals("", pdu.headers().addresses(MmsField.BCC).getFirst());
    }

    @Test
    void partOffsetsAreThoseMmsdAsserts() throws Exception {
        List<Part> parts = parts(decode("mmsd_sr-mms-related-multi-to.mms"));
        assertEquals(129, parts.get(0).data().offset());
        assertEquals(305, parts.get(0).data().length());
        assertEquals(461, parts.get(1).data().offset());
        assertEquals(15, parts.get(1).data().length());
        assertEquals("<Generic_Text.txt>", parts.get(1).contentId());
    }

    @Test
    void reportsCarryTheAssertedIdsAndStatuses() throws Exception {
        MmsPdu.DeliveryInd delivered = (MmsPdu.DeliveryInd) decode("jolla_test_delivery_ind_DeliveryOK_m-delivery.ind");
        assertEquals("BH24CBJJA40W1", delivered.messageId());
        assertEquals("Retrieved", MmsTokens.name(MmsField.STATUS, delivered.status()));
        assertEquals(MmsAddress.Kind.PLMN, MmsAddress.parse(delivered.to().getFirst()).kind(), "PLNM typo still a number");
        MmsPdu.ReadOrigInd read = (MmsPdu.ReadOrigInd) decode("jolla_test_read_ind_ReadDeleted_m-read-orig.ind");
        assertEquals("Deleted-without-being-read", MmsTokens.name(MmsField.READ_STATUS, read.readStatus()));
        MmsPdu.SendConf denied = (MmsPdu.SendConf) decode("jolla_test_send_ServiceDenied_m-send.conf");
        assertEquals("Unable to send", denied.headers().encoded(MmsField.RESPONSE_TEXT).text());
        assertEquals("Error-permanent-service-denied", MmsTokens.name(MmsField.RESPONSE_STATUS, denied.responseStatus()));
        MmsPdu.SendConf empty = (MmsPdu.SendConf) decode("jolla_test_send_EmptyMessageID_m-send.conf");
        assertEquals("", empty.messageId());
        MmsPdu.RetrieveConf notFound = (MmsPdu.RetrieveConf) decode("jolla_test_mms_codec_m-retrieve_5.conf");
        MessageBody.Opaque body = assertInstanceOf(MessageBody.Opaque.class, notFound.body());
        assertEquals("4504:Message not found", new String(body.data().toByteArray(), StandardCharsets.US_ASCII).strip()
                .replace("\0", ""));
        assertFalse(notFound.contentType().isMultipart());
    }
}
