package org.openmmsc.mm1.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmmsc.mm1.service.Mm1Fixture.ALICE;
import static org.openmmsc.mm1.service.Mm1Fixture.BOB;
import static org.openmmsc.mm1.service.Mm1Fixture.CAROL;
import static org.openmmsc.mm1.service.Mm1Fixture.sendReq;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RecipientStatus;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;

class Mm1ServiceTest {
    private static final InetAddress GATEWAY = InetAddress.getLoopbackAddress();

    private final Mm1Fixture node = new Mm1Fixture();

    private static Function<String, String> msisdn(String number) {
        Map<String, String> h = Map.of("x-msisdn", number);
        return name -> h.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    private MmsPdu.SendConf post(Mm1Fixture n, InetAddress from, String msisdn, byte[] body) throws Exception {
        Mm1Response r = n.service.post(from, msisdn(msisdn), body).get();
        assertEquals(200, r.httpStatus());
        return (MmsPdu.SendConf) new MmsDecoder().decode(r.pdu());
    }

    private MmsPdu.RetrieveConf get(String msisdn, String url) throws Exception {
        Mm1Response r = node.service.get(GATEWAY, msisdn(msisdn), url.substring(url.indexOf('/', 8))).get();
        assertEquals(200, r.httpStatus());
        return (MmsPdu.RetrieveConf) new MmsDecoder().decode(r.pdu());
    }

    private MessageId sendAliceToBob() throws Exception {
        MmsPdu.SendConf conf = post(node, GATEWAY, ALICE, sendReq("tx-1").to(BOB).encode());
        assertEquals(MmsStatus.OK, conf.responseStatus(), conf.headers().text(MmsField.RESPONSE_TEXT));
        return MessageId.parse(conf.messageId());
    }

    @Test
    void sendReqIsStoredWithTheGatewayIdentityAndAnsweredWithItsMessageId() throws Exception {
        MessageId id = sendAliceToBob();
        Message m = node.store.message(id).orElseThrow();
        assertEquals(Address.plmn(ALICE), m.originator());
        assertEquals(Interface.MM1, m.origin().iface());
        assertEquals(ALICE, m.origin().authenticatedSender());
        assertEquals("tx-1", m.origin().transactionId());
        assertEquals("Holiday", m.subject().text());
        assertEquals(2, m.parts().size());
        RecipientDelivery d = node.store.deliveries(id).getFirst();
        assertEquals(Address.plmn(BOB), d.recipient().address());
        assertEquals(RouteKind.LOCAL_MM1, d.route().kind());
    }

    @Test
    void aRepeatedTransactionGetsTheSameMessageIdAndStoresNothingNew() throws Exception {
        MessageId first = sendAliceToBob();
        MmsPdu.SendConf again = post(node, GATEWAY, ALICE, sendReq("tx-1").to(BOB).encode());
        assertEquals(first.value(), again.messageId());
        assertEquals(1, node.store.messageCount());
    }

    @Test
    void anIdentityHeaderFromAnUntrustedAddressIsServiceDenied() throws Exception {
        MmsPdu.SendConf conf = post(node, InetAddress.getByName("192.0.2.7"), ALICE, sendReq("tx-2").to(BOB).encode());
        assertEquals(MmsStatus.PERMANENT_SERVICE_DENIED, conf.responseStatus());
        assertEquals("tx-2", conf.transactionId());
        assertNull(conf.messageId());
        assertEquals(0, node.store.messageCount());
    }

    @Test
    void aFromNamingSomeoneElseIsServiceDenied() throws Exception {
        MmsPdu.SendConf conf = post(node, GATEWAY, ALICE, sendReq("tx-3").from(CAROL + "/TYPE=PLMN").to(BOB).encode());
        assertEquals(MmsStatus.PERMANENT_SERVICE_DENIED, conf.responseStatus());
        assertEquals(0, node.store.messageCount());
        MmsPdu.SendConf own = post(node, GATEWAY, ALICE, sendReq("tx-4").from(ALICE + "/TYPE=PLMN").to(BOB).encode());
        assertEquals(MmsStatus.OK, own.responseStatus());
    }

    @Test
    void garbageIsFormatCorruptAndKeepsAReadableTransactionId() throws Exception {
        assertEquals(MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, post(node, GATEWAY, ALICE, "GET / HTTP/1.0".getBytes(StandardCharsets.US_ASCII)).responseStatus());
        byte[] broken = {(byte) 0x8C, (byte) 0x80, (byte) 0x98, 'a', 'b', 'c', 0, (byte) 0x8D, (byte) 0x92, (byte) 0x97, (byte) 0xFF};
        MmsPdu.SendConf conf = post(node, GATEWAY, ALICE, broken);
        assertEquals(MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, conf.responseStatus());
        assertEquals("abc", conf.transactionId());
        assertEquals(0, node.store.messageCount());
    }

    @Test
    void aWrongMajorVersionIsUnsupportedMessage() throws Exception {
        MmsPdu.SendConf conf = post(node, GATEWAY, ALICE, sendReq("tx-5").to(BOB).majorVersion(2).encode());
        assertEquals(MmsStatus.UNSUPPORTED_MESSAGE, conf.responseStatus());
    }

    @Test
    void anOversizedMessageOrARefusedTypeIsContentNotAccepted() throws Exception {
        Mm1Fixture small = new Mm1Fixture(new Mm1Config(null, null, null, null, null, 2048, null, null, null, null));
        assertEquals(MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, post(small, GATEWAY, ALICE, sendReq("tx-6").to(BOB).part("image/jpeg", 4000).encode()).responseStatus());
        assertEquals(MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, post(small, GATEWAY, ALICE, sendReq("tx-7").to(BOB).part("application/x-msdownload", 10).encode()).responseStatus());
        assertEquals(0, small.store.messageCount());
    }

    @Test
    void tooManyRecipientsOrABadAddressAreRefused() throws Exception {
        Mm1Fixture one = new Mm1Fixture(new Mm1Config(null, null, null, null, null, null, 1, null, null, null));
        assertEquals(MmsStatus.PERMANENT_SERVICE_DENIED, post(one, GATEWAY, ALICE, sendReq("tx-8").to(BOB).to(CAROL).encode()).responseStatus());
        assertEquals(MmsStatus.PERMANENT_SENDING_ADDRESS_UNRESOLVED, post(node, GATEWAY, ALICE, sendReq("tx-9").to("not a number").encode()).responseStatus());
    }

    @Test
    void theRecipientRetrievesTheSamePartsAndTheDeliveryBecomesRetrieved() throws Exception {
        MessageId id = sendAliceToBob();
        Message sent = node.store.message(id).orElseThrow();
        RecipientDelivery d = node.store.deliveries(id).getFirst();
        MmsPdu.RetrieveConf conf = get(BOB, node.service.contentLocation(d.key()));
        assertEquals(id.value(), conf.messageId());
        assertEquals(ALICE + "/TYPE=PLMN", conf.from().address().text());
        List<org.openmmsc.mm1.codec.Part> parts = ((MessageBody.Multipart) conf.body()).parts();
        assertEquals(2, parts.size());
        for (int i = 0; i < parts.size(); i++) {
            assertArrayEquals(sent.parts().get(i).content(), parts.get(i).data().toByteArray());
            assertEquals(sent.parts().get(i).contentType().mediaType(), parts.get(i).contentType().mediaType());
        }
        // Fetched; RETRIEVED (and reported) once the phone's m-notifyresp-ind says whether the sender may know.
        assertEquals(DeliveryState.FETCHED, node.store.delivery(d.key()).orElseThrow().state());
        node.service.post(GATEWAY, msisdn(BOB), notifyResp(conf.transactionId(), MmsStatus.STATUS_RETRIEVED)).get();
        assertEquals(DeliveryState.RETRIEVED, node.store.delivery(d.key()).orElseThrow().state());
    }

    @Test
    void retrievalsAreTimedAndTheWaitUntilTheFirstFetchIsRecordedOnce() throws Exception {
        MessageId id = sendAliceToBob();
        RecipientDelivery d = node.store.deliveries(id).getFirst();
        get(BOB, node.service.contentLocation(d.key()));
        get(BOB, node.service.contentLocation(d.key()));
        assertEquals(2, node.meters.get("mmsc.mm1.retrieval.latency").timer().count(), "every answered GET");
        assertEquals(1, node.meters.get("mmsc.mm1.retrieval.wait").timer().count(), "only the first fetch");
    }

    @Test
    void bccIsNeverVisibleAndAHiddenSenderStaysHidden() throws Exception {
        MmsPdu.SendConf sent = post(node, GATEWAY, ALICE, sendReq("tx-10").to(BOB).bcc(CAROL).hideSender().encode());
        MessageId id = MessageId.parse(sent.messageId());
        for (RecipientDelivery d : node.store.deliveries(id)) {
            MmsPdu.RetrieveConf conf = get(d.recipient().address().value(), node.service.contentLocation(d.key()));
            assertTrue(conf.headers().all(MmsField.BCC).isEmpty(), "no Bcc header");
            assertEquals(List.of(BOB + "/TYPE=PLMN"), conf.to());
            assertNull(conf.from(), "sender hidden");
        }
    }

    @Test
    void guessedOrAnotherRecipientsTokensGetAnErrorAndChangeNothing() throws Exception {
        MmsPdu.SendConf sent = post(node, GATEWAY, ALICE, sendReq("tx-11").to(BOB).to(CAROL).encode());
        MessageId id = MessageId.parse(sent.messageId());
        RecipientDelivery bobs = node.store.deliveries(id).getFirst();
        String url = node.service.contentLocation(bobs.key());
        String forged = url.substring(0, url.length() - 2) + (url.endsWith("AA") ? "BB" : "AA");
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, get(BOB, forged).headers().token(MmsField.RETRIEVE_STATUS));
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, get(BOB, "http://127.0.0.1:8191/nothing-here").headers().token(MmsField.RETRIEVE_STATUS));
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_SERVICE_DENIED, get(CAROL, url).headers().token(MmsField.RETRIEVE_STATUS));
        assertEquals(DeliveryState.ACCEPTED, node.store.delivery(bobs.key()).orElseThrow().state());
        // Guessed and forged tokens are counted for the operator.
        assertEquals(2.0, node.meters.counter("mmsc.mm1.requests", "pdu", "retrieve", "status", "0xE2").count());
        assertEquals(1.0, node.meters.counter("mmsc.mm1.requests", "pdu", "retrieve", "status", "0xE1").count());
    }

    @Test
    void notifyRespDeferredAndRejectedMoveTheRecipientsDelivery() throws Exception {
        MmsPdu.SendConf sent = post(node, GATEWAY, ALICE, sendReq("tx-12").to(BOB).to(CAROL).encode());
        MessageId id = MessageId.parse(sent.messageId());
        String tid = node.tokens.transactionId(id);
        assertEquals(200, node.service.post(GATEWAY, msisdn(BOB), notifyResp(tid, MmsStatus.STATUS_DEFERRED)).get().httpStatus());
        Mm1Response rejected = node.service.post(GATEWAY, msisdn(CAROL), notifyResp(tid, MmsStatus.STATUS_REJECTED)).get();
        assertEquals(200, rejected.httpStatus());
        assertNull(rejected.pdu(), "m-notifyresp-ind has no reply PDU");
        List<RecipientDelivery> ds = node.store.deliveries(id);
        assertEquals(RecipientStatus.DEFERRED, ds.get(0).recipientStatus());
        assertEquals(DeliveryState.REJECTED, ds.get(1).state());
    }

    @Test
    void deferredThenFetchedThenAcknowledgedEndsRetrieved() throws Exception {
        MessageId id = sendAliceToBob();
        String tid = node.tokens.transactionId(id);
        node.service.post(GATEWAY, msisdn(BOB), notifyResp(tid, MmsStatus.STATUS_DEFERRED)).get();
        RecipientDelivery d = node.store.deliveries(id).getFirst();
        MmsPdu.RetrieveConf conf = get(BOB, node.service.contentLocation(d.key()));
        byte[] ack = new MmsEncoder().encode(new MmsPdu.AcknowledgeInd(MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, conf.transactionId()).version(1, 2).build(), null));
        Mm1Response r = node.service.post(GATEWAY, msisdn(BOB), ack).get();
        assertEquals(200, r.httpStatus());
        assertNull(r.pdu());
        assertEquals(DeliveryState.RETRIEVED, node.store.delivery(d.key()).orElseThrow().state());
    }

    @Test
    void aTypicalNotificationFitsOneSmsThroughAPpg() throws Exception {
        MmsPdu.SendConf sent = post(node, GATEWAY, ALICE, sendReq("tx-13").to(BOB).part("image/jpeg", 30_000).encode());
        assertNotNull(sent.messageId());
        MessageId id = MessageId.parse(sent.messageId());
        Message m = node.store.message(id).orElseThrow();
        byte[] notification = node.service.notification(m, node.store.deliveries(id).getFirst());
        // 92 octets is what one SMS holds after Kannel's WSP push header block (recipes/kannel-ppg).
        assertTrue(notification.length <= 92, "notification is " + notification.length + " octets");
        MmsPdu.NotificationInd ind = (MmsPdu.NotificationInd) new MmsDecoder().decode(notification);
        assertEquals(node.service.contentLocation(node.store.deliveries(id).getFirst().key()), ind.contentLocation());
        assertTrue(ind.messageSize() >= 30_000);
    }

    @Test
    void tokensDependOnlyOnTheSecretSoTheySurviveARestart() {
        MessageId id = node.relay.newMessageId();
        ContentTokens again = new ContentTokens("fixture-secret-0123456789".getBytes(StandardCharsets.US_ASCII));
        var key = new org.openmmsc.core.model.DeliveryKey(id, 3);
        assertEquals(node.tokens.token(key), again.token(key));
        ContentTokens.Parsed parsed = again.parse(node.tokens.token(key)).orElseThrow();
        assertEquals(id, parsed.messageId());
        assertTrue(again.matches(parsed, 3));
        assertTrue(!again.matches(parsed, 2));
        assertEquals(id, again.messageIdOfTransaction(node.tokens.transactionId(id)).orElseThrow());
    }

    static byte[] notifyResp(String tid, int status) {
        return new MmsEncoder().encode(new MmsPdu.NotifyRespInd(MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, tid).version(1, 2).token(MmsField.STATUS, status).build(), null));
    }

}
