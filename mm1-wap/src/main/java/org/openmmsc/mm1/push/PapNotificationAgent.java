package org.openmmsc.mm1.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.service.Mm1Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifies a local subscriber: m-notification-ind as a PAP 2.0 push to the PPG. A PPG's
 * "accepted" only means submitted (Kannel says 1001 and may send nothing), so the delivery is
 * {@code Notified}, and the scheduler notifies again until the phone fetches or answers.
 */
public final class PapNotificationAgent implements NotificationPathAgent.Path, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PapNotificationAgent.class);

    private final Mm1Service service;
    private final Mm1Config.Ppg ppg;
    private final PapClient client;
    private final ExecutorService pushes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("pap-", 0).factory());

    private final MeterRegistry meters;

    public PapNotificationAgent(Mm1Service service, Mm1Config.Ppg ppg) {
        this(service, ppg, new SimpleMeterRegistry());
    }

    public PapNotificationAgent(Mm1Service service, Mm1Config.Ppg ppg, MeterRegistry meters) {
        this.meters = meters;
        this.service = service;
        this.ppg = ppg;
        this.client = ppg.url() == null ? null : new PapClient(URI.create(ppg.url()), ppg.user(), ppg.password(), ppg.timeout());
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
        if (client == null) {
            return CompletableFuture.completedFuture(new Outcome.TransientFailure("no PPG configured (mm1.ppg.url)", null));
        }
        byte[] notification = service.notification(message, delivery);
        String pushId = message.id().value() + "." + delivery.recipientIndex() + "." + delivery.attempts() + "@" + ppg.domain();
        String address = "WAPPUSH=" + to.value() + "/TYPE=PLMN@" + ppg.domain();
        return CompletableFuture.supplyAsync(() -> push(pushId, address, notification), pushes);
    }

    /** Pushes any MMS PDU to a subscriber's phone (reports use it too). */
    @Override
    public CompletableFuture<Outcome> push(String pushId, Address to, byte[] pdu) {
        if (client == null) {
            return CompletableFuture.completedFuture(new Outcome.TransientFailure("no PPG configured (mm1.ppg.url)", null));
        }
        String address = "WAPPUSH=" + to.value() + "/TYPE=PLMN@" + ppg.domain();
        return CompletableFuture.supplyAsync(() -> push(pushId + "@" + ppg.domain(), address, pdu), pushes);
    }

    private Outcome push(String pushId, String address, byte[] notification) {
        PapClient.Answer answer;
        try {
            answer = client.push(pushId, address, notification);
        } catch (IOException e) {
            return new Outcome.TransientFailure("PPG unreachable: " + e.getMessage(), null);
        }
        Outcome outcome = outcomeOf(answer);
        if (answer.papCode() < 0 && (answer.httpStatus() == 401 || answer.httpStatus() == 403)) {
            log.error("PPG {} refused the MMSC's credentials (HTTP {}): check mm1.ppg.user and mm1.ppg.password; push {} failed for good",
                    ppg.url(), answer.httpStatus(), pushId);
        }
        Counter.builder("mmsc.mm1.pushes").tag("path", "pap").tag("outcome", outcome.getClass().getSimpleName())
                .description("WAP pushes (notifications and reports) by path and outcome").register(meters).increment();
        log.debug("PAP push {} to {}: HTTP {} PAP {} {} -> {}", pushId, address, answer.httpStatus(), answer.papCode(), answer.description(), outcome);
        return outcome;
    }

    /** PAP 2.0 §9.13: 1xxx success, 2xxx the request is wrong (permanent), 3xxx/4xxx PPG or service trouble, 5xxx device abort. */
    static Outcome outcomeOf(PapClient.Answer answer) {
        int code = answer.papCode();
        String what = "PPG HTTP " + answer.httpStatus() + ", PAP " + code + (answer.description().isEmpty() ? "" : " " + answer.description());
        if (code == 1000 || code == 1001) return new Outcome.Notified(null, "pushed: " + what);
        if (code >= 2000 && code < 3000) return new Outcome.PermanentFailure("push refused: " + what);
        if (code >= 3000) return new Outcome.TransientFailure("push failed: " + what, null);
        // No PAP code: judge by HTTP. 401/403 is the operator's configuration (wrong or unknown PPG user), not
        // this message: retrying cannot help, and Kannel doubles a never-reset back-off on every failed login,
        // so a retry would lock out even the corrected credentials. Permanent, with the keys to fix named.
        if (answer.httpStatus() == 401 || answer.httpStatus() == 403) {
            return new Outcome.PermanentFailure("PPG refused the MMSC's credentials (configuration: mm1.ppg.user / mm1.ppg.password): " + what);
        }
        return new Outcome.TransientFailure("push not accepted: " + what, null);
    }

    @Override
    public void close() {
        pushes.shutdownNow();
    }
}
