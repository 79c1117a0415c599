package org.openmmsc.mm4.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.TimeSpec;

/**
 * Real operators' MM4 traffic from ../shared/corpus/mm4 (read in place, never copied) decodes to
 * what its INDEX.md lists. The files are SMTP DATA captures: a UTF-8 BOM before, the end-of-data
 * line and the rest of the session after; both are capture artefacts and are cut off here.
 */
class Mm4CorpusTest {
    private final Mm4Codec codec = new Mm4Codec();

    private static byte[] capture(String name) throws IOException {
        String shared = System.getProperty("openmmsc.sharedDir");
        assumeTrue(shared != null, "openmmsc.sharedDir not set");
        Path file = Path.of(shared, "corpus", "mm4", name);
        assumeTrue(Files.isReadable(file), "corpus file absent: " + file);
        byte[] bytes = Files.readAllBytes(file);
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\n.\n");
        return Arrays.copyOfRange(bytes, start, end < 0 ? bytes.length : end + 1);
    }

    @Test
    void hotMobileForwardRequestWithTwentyRecipients() throws Exception {
        var req = assertInstanceOf(Mm4Pdu.ForwardRequest.class, codec.decode(capture("davidtzur_MM4Req_Fromhotmobile.redacted.txt")));
        assertEquals("5.5.0", req.version());
        assertEquals("38637220220126001745557@mms.hotmobile.co.il", req.transactionId(), "quotes are not part of the id");
        assertEquals("kyuoj0sgre1p96@w.mms.hotmobile.co.il", req.messageId());
        assertEquals(20, req.to().size());
        assertEquals("+972500000006/TYPE=PLMN", req.to().getFirst());
        assertEquals("+972500000024/TYPE=PLMN", req.to().getLast());
        assertEquals("+972500000005/TYPE=PLMN", req.from());
        assertEquals(MessageClass.PERSONAL, req.messageClass());
        assertEquals(TimeSpec.at(Instant.parse("2022-02-01T22:17:44Z")), req.expiry());
        assertEquals(Boolean.TRUE, req.deliveryReport());
        assertEquals(Priority.NORMAL, req.priority());
        assertEquals(Boolean.FALSE, req.readReply());
        assertTrue(req.ackRequested());
        assertEquals("PostMaster@mms.hotmobile.co.il", req.originatorSystem());
        assertEquals(Boolean.FALSE, req.originatorRsDeliveryReport());
        assertEquals(5, req.receivedCount(), "trace headers are counted for loop detection");
        assertEquals("multipart/related", req.contentType().mediaType());
        assertEquals("application/smil", req.contentType().parameter("type"));
        assertEquals("<smil>", req.contentType().parameter("start"));
        assertEquals(2, req.parts().size());
        assertEquals("application/smil", req.parts().get(0).contentType().mediaType());
        assertEquals("<smil>", req.parts().get(0).header("Content-ID"));
        assertEquals("text/plain", req.parts().get(1).contentType().mediaType());
        assertEquals("utf-8", req.parts().get(1).contentType().parameter("charset").toLowerCase());
        assertEquals("https://vm.tiktok.com/ZSeqkbvkG/", new String(req.parts().get(1).content(), StandardCharsets.UTF_8).strip());
        assertEquals("Yes", req.mmsHeaders().get("x-mms-ack-request"));
    }

    @Test
    void cellcomForwardResponse() throws Exception {
        var res = assertInstanceOf(Mm4Pdu.Response.class, codec.decode(capture("davidtzur_MM4Res_CellcomRES.redacted.txt")));
        assertEquals(Mm4Type.FORWARD_RES, res.type());
        assertEquals("5.5.0", res.version());
        assertEquals("jay000495897bc01090b1b05", res.transactionId());
        assertEquals("2022011223181841801", res.messageId());
        assertTrue(res.ok());
        assertEquals("All is good.", res.statusText());
        assertEquals("PostMaster@mms.cellcom.co.il", res.originatorSystem());
        assertEquals(java.util.List.of("+972500000001"), res.requestRecipients());
    }

    @Test
    void pelephoneForwardResponse() throws Exception {
        var res = assertInstanceOf(Mm4Pdu.Response.class, codec.decode(capture("davidtzur_MM4Res_PelephoneRES.redacted.txt")));
        assertEquals("695308591", res.transactionId());
        assertEquals("2022011223192218001", res.messageId());
        assertTrue(res.ok());
        assertEquals("system-user@mmscprovider.pelephone.net.il", res.originatorSystem());
        assertEquals(java.util.List.of("+972500000002"), res.requestRecipients());
    }

    @Test
    void we4gForwardResponse() throws Exception {
        var res = assertInstanceOf(Mm4Pdu.Response.class, codec.decode(capture("davidtzur_MM4Res_We4gRES.redacted.txt")));
        assertEquals("T17e509239b3", res.transactionId());
        assertEquals("2022011223142985401", res.messageId());
        assertTrue(res.ok());
        assertEquals("PostMaster@mms.we4g.co.il", res.originatorSystem());
    }

    @Test
    void golanTelecomMinimalResponseWithUpperCaseIdHeaders() throws Exception {
        var res = assertInstanceOf(Mm4Pdu.Response.class, codec.decode(capture("davidtzur_MM4Res_GolantelecomRES.redacted.txt")));
        assertEquals(Mm4Type.FORWARD_RES, res.type());
        assertEquals("jay0084F1EB040101091303", res.transactionId());
        assertEquals("2022011223272047801", res.messageId());
        assertTrue(res.ok());
        assertNull(res.originatorSystem());
        assertNull(res.statusText());
    }

    @Test
    void mbuniMm3MailIsNotMm4() throws Exception {
        byte[] mail = capture("mbunifrese_test.email");
        Mm4DecodeException e = org.junit.jupiter.api.Assertions.assertThrows(Mm4DecodeException.class, () -> codec.decode(mail));
        assertFalse(e.getMessage().isEmpty());
    }
}
