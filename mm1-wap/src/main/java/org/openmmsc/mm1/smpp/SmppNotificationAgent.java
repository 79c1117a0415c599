package org.openmmsc.mm1.smpp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.util.RelativeTimeFormatter;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspPushCodec;
import org.openmmsc.mm1.push.NotificationPathAgent;
import org.openmmsc.mm1.service.Mm1Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifies a local subscriber straight through an SMSC: the m-notification-ind in a WSP push,
 * cut into WAP Push SMS (UDH ports 2948 ← 9200, concatenated when it needs several), each sent as a
 * submit_sm with esm_class 0x40 (UDHI) and data_coding 0x04 (8-bit) over one transceiver bind.
 *
 * <p>At most {@code window} submit_sm's await their response at once and at most
 * {@code throughput} go out per second. A submit_sm_resp OK only means the SMSC took the SMS, like a
 * PPG's 1001: the delivery is {@code Notified} and the scheduler notifies again until the phone
 * fetches or answers. ESME_RTHROTTLED / ESME_RMSGQFUL pause all submits for {@code throttleBackoff}
 * and retry the notification after it; other errors are transient or permanent as
 * {@link SmppStatus#isTransient} divides them.
 */
public final class SmppNotificationAgent implements NotificationPathAgent.Path, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmppNotificationAgent.class);

    private final Mm1Service service;
    private final Mm1Config.Smpp config;
    private final MeterRegistry meters;
    private final DeliverSmHandler deliverSm;
    private final SmppConnection connection;
    private final SubmitPacer pacer;
    private final Semaphore window;
    private final AtomicInteger references = new AtomicInteger(ThreadLocalRandom.current().nextInt(256));
    private final WspPushCodec pushCodec = new WspPushCodec();
    private final RegisteredDelivery registeredDelivery;
    private final ExecutorService submits = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("smpp-submit-", 0).factory());

    public SmppNotificationAgent(Mm1Service service, Mm1Config.Smpp config) {
        this(service, config, new SimpleMeterRegistry());
    }

    /** Starts binding to the SMSC in the background; notifications wait for the bind or fail transiently. */
    public SmppNotificationAgent(Mm1Service service, Mm1Config.Smpp config, MeterRegistry meters) {
        if (config.host() == null) throw new IllegalArgumentException("no SMSC configured (mm1.smpp.host)");
        this.service = service;
        this.config = config;
        this.meters = meters;
        this.deliverSm = new DeliverSmHandler(meters);
        this.connection = new SmppConnection(config, deliverSm, meters);
        this.pacer = new SubmitPacer(config.throughput());
        this.window = new Semaphore(config.window(), true);
        this.registeredDelivery = new RegisteredDelivery(config.requestReceipts() ? SMSCDeliveryReceipt.SUCCESS_FAILURE : SMSCDeliveryReceipt.DEFAULT);
        connection.start();
    }

    @Override
    public RouteKind routeKind() {
        return RouteKind.LOCAL_MM1;
    }

    @Override
    public CompletionStage<Outcome> deliver(Message message, RecipientDelivery delivery) {
        Address to = delivery.recipient().address();
        if (to.type() != Address.Type.PLMN) {
            return CompletableFuture.completedFuture(new Outcome.PermanentFailure("WAP Push needs an E.164 number, not " + to));
        }
        byte[] notification = service.notification(message, delivery);
        // An SMS the SMSC still holds after the message expired would send the phone to a dead link.
        String validity = validityPeriod(Duration.between(Instant.now(), delivery.expiresAt()));
        return push(message.id().value() + "/" + delivery.recipientIndex() + " attempt " + (delivery.attempts() + 1), to, notification, validity);
    }

    @Override
    public CompletableFuture<Outcome> push(String pushId, Address to, byte[] mmsPdu) {
        return push(pushId, to, mmsPdu, null);
    }

    private CompletableFuture<Outcome> push(String pushId, Address to, byte[] mmsPdu, String validityPeriod) {
        if (to.type() != Address.Type.PLMN) {
            return CompletableFuture.completedFuture(new Outcome.PermanentFailure("WAP Push needs an E.164 number, not " + to));
        }
        return CompletableFuture.supplyAsync(() -> {
            Outcome outcome = send(pushId, to, mmsPdu, validityPeriod);
            Counter.builder("mmsc.mm1.pushes").tag("path", "smpp").tag("outcome", outcome.getClass().getSimpleName())
                    .description("WAP pushes (notifications and reports) by path and outcome").register(meters).increment();
            log.debug("SMPP push {} to {}: {}", pushId, to.value(), outcome);
            return outcome;
        }, submits);
    }

    /**
     * SMPP relative validity_period "YYMMDDhhmmss000R" (SMPP 3.4 §7.1.1) for {@code left}, at least a
     * minute, at most 99 days (the day field's range, months and years unused).
     */
    static String validityPeriod(Duration left) {
        long s = Math.clamp(left.toSeconds(), 60, 99L * 86_400 + 86_399);
        return RelativeTimeFormatter.format(0, 0, (int) (s / 86_400), (int) (s / 3600 % 24), (int) (s / 60 % 60), (int) (s % 60));
    }

    private Outcome send(String pushId, Address to, byte[] mmsPdu, String validityPeriod) {
        int reference = references.getAndIncrement() & 0xFF;
        List<byte[]> segments;
        try {
            // The WSP transaction id only pairs a push with a reply; connectionless pushes get none, so any octet does.
            segments = WapPushSms.segment(pushCodec.encode(WspPush.forMms(reference, mmsPdu)), reference, false);
        } catch (IllegalArgumentException e) {
            return new Outcome.PermanentFailure("push does not fit SMS: " + e.getMessage());
        }
        SMPPSession session;
        try {
            session = connection.awaitBound(config.responseTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.TransientFailure("interrupted (node stopping)", null);
        }
        if (session == null) {
            return new Outcome.TransientFailure("SMSC " + config.host() + ":" + config.port() + " not bound", null);
        }
        String destination = to.value().startsWith("+") ? to.value().substring(1) : to.value();
        List<String> ids = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            String part = segments.size() == 1 ? "" : " (SMS " + (i + 1) + " of " + segments.size() + ")";
            Attempt attempt = submit(session, destination, segments.get(i), validityPeriod);
            if (attempt.failure() != null) {
                log.info("SMPP push {} to {}{}: {}", pushId, to.value(), part, attempt.failure());
                return attempt.failure();
            }
            ids.add(attempt.messageId());
            deliverSm.submitted(attempt.messageId(), "push " + pushId + " to " + to.value() + part);
        }
        return new Outcome.Notified(null, "submitted to SMSC as " + segments.size() + " SMS, message id" + (ids.size() == 1 ? " " : "s ")
                + String.join(",", ids));
    }

    /** One submit_sm's result: the SMSC's message id, or the outcome that ends the push. */
    private record Attempt(String messageId, Outcome failure) {}

    private Attempt submit(SMPPSession session, String destination, byte[] segment, String validityPeriod) {
        try {
            window.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, new Outcome.TransientFailure("interrupted (node stopping)", null));
        }
        try {
            pacer.acquire();
            String id = session.submitShortMessage(config.serviceType(),
                    TypeOfNumber.valueOf(config.sourceTon().byteValue()), NumberingPlanIndicator.valueOf(config.sourceNpi().byteValue()),
                    config.sourceAddress(), TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, destination,
                    new ESMClass(WapPushSms.ESM_CLASS_UDHI), (byte) 0, (byte) 0, null, validityPeriod, registeredDelivery, (byte) 0,
                    new RawDataCoding((byte) WapPushSms.DATA_CODING_8BIT), (byte) 0, segment).getMessageId();
            countSubmit(SmppStatus.name(SmppStatus.ESME_ROK));
            return new Attempt(id, null);
        } catch (NegativeResponseException e) {
            int status = e.getCommandStatus();
            String name = SmppStatus.name(status);
            countSubmit(name);
            if (SmppStatus.isThrottling(status)) {
                pacer.pause(config.throttleBackoff().toNanos());
                return new Attempt(null, new Outcome.TransientFailure("SMSC answered " + name + "; backing off", config.throttleBackoff()));
            }
            if (SmppStatus.isTransient(status)) return new Attempt(null, new Outcome.TransientFailure("SMSC answered " + name, null));
            return new Attempt(null, new Outcome.PermanentFailure("SMSC refused the submit_sm: " + name));
        } catch (ResponseTimeoutException e) {
            countSubmit("timeout");
            return new Attempt(null, new Outcome.TransientFailure("no submit_sm_resp within " + config.responseTimeout(), null));
        } catch (PDUException e) {
            countSubmit("invalid-pdu");
            return new Attempt(null, new Outcome.PermanentFailure("submit_sm not encodable: " + e.getMessage()));
        } catch (InvalidResponseException e) {
            countSubmit("invalid-response");
            return new Attempt(null, new Outcome.TransientFailure("SMSC answered an invalid response: " + e.getMessage(), null));
        } catch (IOException e) {
            countSubmit("link-error");
            return new Attempt(null, new Outcome.TransientFailure("SMPP link failed: " + e.getMessage(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, new Outcome.TransientFailure("interrupted (node stopping)", null));
        } finally {
            window.release();
        }
    }

    private void countSubmit(String status) {
        Counter.builder("mmsc.mm1.smpp.submits").tag("status", status)
                .description("submit_sm's by answer: the submit_sm_resp command_status name, timeout or link-error").register(meters).increment();
    }

    /** Whether the transceiver bind is up now. */
    public boolean isBound() {
        return connection.isBound();
    }

    public String describe() {
        return "SMSC " + config.host() + ":" + config.port() + " as " + config.systemId();
    }

    @Override
    public void close() {
        submits.shutdownNow();
        connection.close();
    }
}
