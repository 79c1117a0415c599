package org.openmmsc.mm1.smpp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SMSC sends us on the transceiver bind. Every deliver_sm is answered ESME_ROK (jSMPP
 * writes the deliver_sm_resp when this returns): an error answer would only make the SMSC send it
 * again. Delivery receipts are logged and counted by state; a receipt says the SMS reached the
 * handset, not that the phone fetched the message, so no delivery state moves on one.
 */
final class DeliverSmHandler implements MessageReceiverListener {
    private static final Logger log = LoggerFactory.getLogger(DeliverSmHandler.class);
    private static final int REMEMBERED_SUBMITS = 10_000;
    /** message_state TLV values (SMPP 3.4 §5.2.28) under the receipt-text names they correspond to. */
    private static final String[] MESSAGE_STATES = {"UNKNOWN", "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD"};

    private final MeterRegistry meters;
    /** SMSC message id → what was submitted under it, so a receipt's log line names the MMS delivery. */
    private final Map<String, String> submitted = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_SUBMITS;
        }
    };

    DeliverSmHandler(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Remembers which notification an SMSC message id belongs to (the most recent ones only). */
    void submitted(String smscMessageId, String what) {
        synchronized (submitted) {
            submitted.put(smscMessageId, what);
        }
    }

    /** A delivery receipt as read from a deliver_sm: the SMSC's message id and the final state (DELIVRD, UNDELIV, …). */
    record Receipt(String messageId, String state, String error) {}

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) {
        if (!deliverSm.isSmscDeliveryReceipt()) {
            count("mmsc.mm1.smpp.deliver_sm", "kind", "other");
            log.info("SMPP deliver_sm from {} that is not a delivery receipt (esm_class 0x{}): answered and ignored",
                    deliverSm.getSourceAddr(), Integer.toHexString(deliverSm.getEsmClass() & 0xFF));
            return;
        }
        count("mmsc.mm1.smpp.deliver_sm", "kind", "receipt");
        Receipt receipt = receipt(deliverSm);
        count("mmsc.mm1.smpp.receipts", "state", receipt.state());
        String what;
        synchronized (submitted) {
            what = submitted.get(receipt.messageId());
        }
        log.info("SMPP receipt for SMSC message {} ({}): {}{} (the phone has still to fetch the message)", receipt.messageId(),
                what == null ? "not one of ours, or forgotten" : what, receipt.state(), receipt.error() == null ? "" : " err " + receipt.error());
    }

    /** Reads a receipt: the TLVs receipted_message_id and message_state when present, else the Appendix B text. */
    static Receipt receipt(DeliverSm deliverSm) {
        String id = null;
        String state = null;
        String error = null;
        OptionalParameter.Receipted_message_id idTlv = deliverSm.getOptionalParameter(OptionalParameter.Receipted_message_id.class);
        if (idTlv != null) id = idTlv.getValueAsString();
        OptionalParameter.Message_state stateTlv = deliverSm.getOptionalParameter(OptionalParameter.Message_state.class);
        if (stateTlv != null) {
            int v = stateTlv.getValue() & 0xFF;
            state = v < MESSAGE_STATES.length ? MESSAGE_STATES[v] : "UNKNOWN";
        }
        if (id == null || state == null) {
            try {
                DeliveryReceipt text = deliverSm.getShortMessageAsDeliveryReceipt();
                if (id == null) id = text.getId();
                if (state == null && text.getFinalStatus() != null) state = text.getFinalStatus().name();
                error = text.getError();
            } catch (InvalidDeliveryReceiptException | RuntimeException e) {
                log.info("SMPP receipt with unreadable text ({} octets): {}", deliverSm.getShortMessage() == null ? 0 : deliverSm.getShortMessage().length,
                        printable(deliverSm.getShortMessage()));
            }
        }
        return new Receipt(id == null ? "?" : id, state == null ? "UNREADABLE" : state, error);
    }

    private static String printable(byte[] octets) {
        if (octets == null) return "";
        String s = new String(octets, StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private void count(String name, String tag, String value) {
        Counter.builder(name).tag(tag, value).register(meters).increment();
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
        log.debug("SMPP alert_notification for {} ignored", alertNotification.getSourceAddr());
    }

    /** data_sm is not part of this bind's job; answered with a permanent application error. */
    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        count("mmsc.mm1.smpp.deliver_sm", "kind", "data_sm");
        throw new ProcessRequestException("data_sm is not accepted on this bind", SMPPConstant.STAT_ESME_RX_P_APPN);
    }
}
