package org.openmmsc.mm7.client;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Mm7SoapCodec.Field;
import org.openmmsc.mm7.codec.Mm7Status;

/**
 * Delivers a message addressed to a VASP's short code (route VASP_MM7, target = VASP id) as an
 * MM7 DeliverReq to the VASP's deliveryUrl. The VASP's status decides the outcome: 1xxx delivered,
 * 2xxx rejected, 3xxx and 4006 retried, other 4xxx given up; no MM7 answer at all is retried.
 * Bcc recipients other than the VASP's own address, and a hidden sender, are never sent.
 */
public final class VaspDeliveryAgent implements DeliveryAgent {
    /** The current account by VASP id (accounts can be reloaded while the node runs). */
    private final java.util.function.Function<String, VaspAccount> vasps;
    private final Mm7Client client;
    private final String relayServerId;

    public VaspDeliveryAgent(List<VaspAccount> vasps, Mm7Client client, String relayServerId) {
        this(vasps.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(VaspAccount::id, v -> v))::get, client, relayServerId);
    }

    public VaspDeliveryAgent(java.util.function.Function<String, VaspAccount> vasps, Mm7Client client, String relayServerId) {
        this.vasps = vasps;
        this.client = client;
        this.relayServerId = relayServerId;
    }

    @Override
    public RouteKind routeKind() {
        return RouteKind.VASP_MM7;
    }

    @Override
    public CompletionStage<Outcome> deliver(Message message, RecipientDelivery delivery) {
        VaspAccount vasp = vasps.apply(delivery.route().target());
        if (vasp == null) return done(new Outcome.PermanentFailure("no MM7 VASP account '" + delivery.route().target() + "' (routing.shortCodes names it)"));
        if (vasp.deliveryUrl() == null) return done(new Outcome.PermanentFailure("VASP " + vasp.id() + " has no deliveryUrl"));
        List<Field> fields = new ArrayList<>();
        fields.add(Field.text("MM7Version", vasp.mm7Version()));
        fields.add(Field.text("MMSRelayServerID", relayServerId));
        // The VASP copies LinkedID into a reply SubmitReq; the message id links it back to this message.
        fields.add(Field.text("LinkedID", message.id().value()));
        if (!message.senderHidden()) fields.add(Mm7Client.address("Sender", message.originator()));
        fields.add(recipients(message, delivery.recipient()));
        fields.add(Field.text("TimeStamp", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(message.date().atOffset(ZoneOffset.UTC))));
        fields.add(Field.text("Priority", cap(message.priority().name())));
        if (message.subject() != null) fields.add(Field.text("Subject", message.subject().text()));
        String tid = message.id().value() + "-" + delivery.recipientIndex();
        return client.send(vasp, tid, "DeliverReq", fields, message).handle((answer, error) -> {
            if (error != null) return new Outcome.TransientFailure("VASP " + vasp.id() + " unreachable: " + Mm7SoapCodecReason.of(error), null);
            return outcome(vasp, answer);
        });
    }

    static Outcome outcome(VaspAccount vasp, Mm7Client.Answer answer) {
        String what = "VASP " + vasp.id() + ": " + answer.text();
        if (answer.status() == null) {
            // Not MM7 at all: a proxy error page, an empty 200. Try again; the scheduler gives up in time.
            return new Outcome.TransientFailure(what, null);
        }
        int code = answer.statusCode();
        if (code < 2000) return new Outcome.Delivered(what);
        if (code < 3000) return new Outcome.Rejected(what);
        if (code < 4000 || answer.status() == Mm7Status.SERVICE_UNAVAILABLE) return new Outcome.TransientFailure(what, answer.httpStatus() == 503 ? Duration.ofSeconds(30) : null);
        return new Outcome.PermanentFailure(what);
    }

    /** To and Cc as the originator wrote them; Bcc only when it is this VASP's own address. */
    private static Field recipients(Message message, Recipient self) {
        List<Field> to = new ArrayList<>();
        List<Field> cc = new ArrayList<>();
        for (Recipient r : message.recipients()) {
            Field a = Mm7Client.address("x", r.address());
            Field inner = ((Field.Group) a).children().getFirst();
            if (r.kind() == Recipient.Kind.TO) to.add(inner);
            else if (r.kind() == Recipient.Kind.CC) cc.add(inner);
        }
        List<Field> groups = new ArrayList<>();
        if (!to.isEmpty()) groups.add(new Field.Group("To", to));
        if (!cc.isEmpty()) groups.add(new Field.Group("Cc", cc));
        if (self.kind() == Recipient.Kind.BCC) {
            groups.add(new Field.Group("Bcc", List.of(((Field.Group) Mm7Client.address("x", self.address())).children().getFirst())));
        }
        return new Field.Group("Recipients", groups);
    }

    static String cap(String enumName) {
        return enumName.charAt(0) + enumName.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static CompletionStage<Outcome> done(Outcome o) {
        return CompletableFuture.completedFuture(o);
    }

    /** The reason an exchange failed, without a stack trace. */
    static final class Mm7SoapCodecReason {
        static String of(Throwable e) {
            Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

}
