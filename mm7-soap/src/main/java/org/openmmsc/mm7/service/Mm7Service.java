package org.openmmsc.mm7.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.Routing;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7Status;
import org.openmmsc.mm7.codec.ReplaceRequest;
import org.openmmsc.mm7.codec.SubmitRequest;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.spi.MessageStore;
import org.w3c.dom.Element;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VASP-facing MM7 operations, transport-free: SubmitReq (route, then accept durably) and
 * CancelReq. Answers come back as futures that complete only when what they claim is durable.
 */
public final class Mm7Service {
    private static final Logger log = LoggerFactory.getLogger(Mm7Service.class);

    private final Relay relay;
    private final SubmitMapper mapper;
    private final Function<MessageId, Optional<Message>> messages;

    /** {@code messages} looks a stored message up, so CancelReq can check it belongs to the VASP asking. */
    public Mm7Service(Relay relay, NumberNormalizer numbers, Function<MessageId, Optional<Message>> messages) {
        this.relay = relay;
        this.mapper = new SubmitMapper(numbers);
        this.messages = messages;
    }

    public CompletableFuture<Mm7Reply> handle(VaspAccount vasp, Mm7Envelope env) {
        try {
            if (env.transactionId() == null || env.transactionId().isEmpty()) {
                throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "SOAP Header has no TransactionID (it must carry one, mustUnderstand=\"1\")");
            }
            return switch (env.operation()) {
                case "SubmitReq" -> submit(vasp, env);
                case "CancelReq" -> cancel(vasp, env, "MessageID", "CancelRsp");
                case "extendedCancelReq" -> cancel(vasp, env, "CancelID", "extendedCancelRsp");
                case "ReplaceReq", "extendedReplaceReq" -> replace(vasp, env);
                default -> throw new Mm7Exception(Mm7Status.UNSUPPORTED_OPERATION, env.operation()
                        + " is not supported here; this MMSC accepts SubmitReq, CancelReq, ReplaceReq, extendedCancelReq and extendedReplaceReq");
            };
        } catch (Mm7Exception e) {
            return CompletableFuture.completedFuture(Mm7Reply.error(e));
        }
    }

    private CompletableFuture<Mm7Reply> submit(VaspAccount vasp, Mm7Envelope env) throws Mm7Exception {
        SubmitRequest req = SubmitRequest.parse(env.body());
        Message message = mapper.toMessage(relay.newMessageId(), req, env, vasp, relay.clock().instant());
        Routing routing = relay.route(message);
        if (routing.noneRouted()) {
            Routing.Refused first = routing.refused().getFirst();
            throw new Mm7Exception(statusFor(first), "no recipient can be reached: " + describe(routing.refused()));
        }
        IdempotencyKey key = new IdempotencyKey(Interface.MM7, vasp.id(), env.transactionId());
        return relay.accept(message, routing, key).handle((acceptance, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                log.error("MM7 SubmitReq {} from VASP {} not stored: {}", env.transactionId(), vasp.id(), cause.toString());
                return new Mm7Reply("RSErrorRsp", Mm7Status.SERVER_ERROR, Mm7Status.SERVER_ERROR.text()
                        + ": the message could not be stored; retry with the same TransactionID", null);
            }
            if (routing.allRouted()) {
                return new Mm7Reply("SubmitRsp", Mm7Status.SUCCESS, Mm7Status.SUCCESS.text(), acceptance.id().value());
            }
            return new Mm7Reply("SubmitRsp", Mm7Status.PARTIAL_SUCCESS,
                    Mm7Status.PARTIAL_SUCCESS.text() + ": not sent to " + describe(routing.refused()), acceptance.id().value());
        });
    }

    /** The VASP's own stored message, or 2005: another VASP's message reads as unknown, its existence is not ours to tell. */
    private Message ownMessage(VaspAccount vasp, String id) throws Mm7Exception {
        MessageId messageId;
        try {
            messageId = MessageId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_ID_NOT_FOUND, "no message " + id + " from VASP " + vasp.id());
        }
        Optional<Message> stored = messages.apply(messageId);
        if (stored.isEmpty() || stored.get().origin().iface() != Interface.MM7 || !vasp.id().equals(stored.get().origin().vaspId())) {
            throw new Mm7Exception(Mm7Status.MESSAGE_ID_NOT_FOUND, "no message " + id + " from VASP " + vasp.id());
        }
        return stored.get();
    }

    private static void checkVaspId(VaspAccount vasp, String given) throws Mm7Exception {
        if (given != null && !given.equals(vasp.id())) {
            throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "VASPID '" + given + "' does not match the authenticated VASP '" + vasp.id() + "'");
        }
    }

    /**
     * ReplaceReq / extendedReplaceReq: new content (and ServiceCode, TimeStamp, ReadReply,
     * DistributionIndicator, EarliestDeliveryTime) for a message some recipient has not fetched yet.
     * The answer is sent once the replacement is durable.
     */
    private CompletableFuture<Mm7Reply> replace(VaspAccount vasp, Mm7Envelope env) throws Mm7Exception {
        ReplaceRequest req = ReplaceRequest.parse(env.body());
        checkVaspId(vasp, req.vaspId());
        String responseElement = req.extended() ? "extendedReplaceRsp" : "ReplaceRsp";
        if (req.expiryDate() != null || req.deliveryReport() != null) {
            throw new Mm7Exception(Mm7Status.OPERATION_RESTRICTED, "ExpiryDate and DeliveryReport cannot be changed after submission here "
                    + "(deliveries were scheduled from them); send extendedReplaceReq without them, or CancelReq and a new SubmitReq");
        }
        Message stored = ownMessage(vasp, req.messageId());
        Instant now = relay.clock().instant();
        SubmitMapper.Content content = req.contentHref() == null ? new SubmitMapper.Content(stored.contentType(), stored.parts())
                : SubmitMapper.content(req.contentHref(), env);
        Instant date = req.timeStamp() == null ? stored.date() : SubmitMapper.absolute("TimeStamp", req.timeStamp());
        Instant earliest = req.earliestDeliveryTime() == null ? null : SubmitMapper.time("EarliestDeliveryTime", req.earliestDeliveryTime(), now).resolve(now);
        Origin o = stored.origin();
        Origin origin = req.serviceCode() == null ? o : new Origin(o.iface(), o.authenticatedSender(), o.transactionId(), o.vaspId(), o.vasId(),
                req.serviceCode(), o.linkedId(), o.originatorSystem(), o.originatorMessageId(), o.interfaceVersion());
        Message replacement = stored.replacedBy(date, req.readReply() == null ? stored.readReportRequested() : req.readReply(),
                content.type(), content.parts(), origin, req.distributionIndicator() == null ? stored.distributionIndicator() : req.distributionIndicator());
        String id = stored.id().value();
        String reason = "VASP " + vasp.id() + " MM7 " + env.operation() + " " + env.transactionId();
        return relay.replace(replacement, reason).thenCompose(result -> {
            if (result.outcome() != MessageStore.ReplaceOutcome.REPLACED || earliest == null) {
                return CompletableFuture.completedFuture(result);
            }
            return relay.postpone(stored.id(), earliest).thenApply(moved -> result);
        }).handle((result, error) -> {
            if (error != null) {
                log.error("MM7 {} {} for {} failed: {}", env.operation(), env.transactionId(), id, error.toString());
                return new Mm7Reply("RSErrorRsp", Mm7Status.SERVER_ERROR, Mm7Status.SERVER_ERROR.text()
                        + ": the replacement could not be stored; retry", null);
            }
            return switch (result.outcome()) {
                case NOT_FOUND -> new Mm7Reply("RSErrorRsp", Mm7Status.MESSAGE_ID_NOT_FOUND,
                        Mm7Status.MESSAGE_ID_NOT_FOUND.text() + ": no message " + id + " from VASP " + vasp.id(), null);
                case TOO_LATE -> new Mm7Reply("RSErrorRsp", Mm7Status.NOT_POSSIBLE, Mm7Status.NOT_POSSIBLE.text()
                        + ": too late, message " + id + " was already retrieved, handed on or ended for every recipient; nothing replaced", null);
                case REPLACED -> result.settled() == 0
                        ? new Mm7Reply(responseElement, Mm7Status.SUCCESS, Mm7Status.SUCCESS.text(), req.extended() ? id : null)
                        : new Mm7Reply(responseElement, Mm7Status.PARTIAL_SUCCESS, Mm7Status.PARTIAL_SUCCESS.text() + ": replaced for "
                                + result.pending() + " recipients; " + result.settled()
                                + " already retrieved, handed on or ended keep the original", req.extended() ? id : null);
            };
        });
    }

    private CompletableFuture<Mm7Reply> cancel(VaspAccount vasp, Mm7Envelope env, String idElement, String responseElement) throws Mm7Exception {
        String id = Elements.text(env.body(), idElement);
        if (id == null || id.isEmpty()) throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "mandatory element " + idElement + " is missing");
        Element sender = Elements.child(env.body(), "SenderIdentification");
        checkVaspId(vasp, sender == null ? null : Elements.text(sender, "VASPID"));
        MessageId messageId = ownMessage(vasp, id).id();
        return relay.cancel(messageId, "cancelled by VASP " + vasp.id() + " (MM7 CancelReq " + env.transactionId() + ")").handle((outcome, error) -> {
            if (error != null) {
                log.error("MM7 CancelReq {} for {} failed: {}", env.transactionId(), id, error.toString());
                return new Mm7Reply("RSErrorRsp", Mm7Status.SERVER_ERROR, Mm7Status.SERVER_ERROR.text() + ": cancel could not be recorded; retry", null);
            }
            if (!outcome.found()) return new Mm7Reply("RSErrorRsp", Mm7Status.MESSAGE_ID_NOT_FOUND, Mm7Status.MESSAGE_ID_NOT_FOUND.text() + ": no message " + id, null);
            if (outcome.cancelled() == 0) {
                return new Mm7Reply("RSErrorRsp", Mm7Status.NOT_POSSIBLE,
                        Mm7Status.NOT_POSSIBLE.text() + ": too late, message " + id + " was already delivered or ended for every recipient", null);
            }
            if (outcome.tooLate() > 0) {
                return new Mm7Reply(responseElement, Mm7Status.PARTIAL_SUCCESS, Mm7Status.PARTIAL_SUCCESS.text() + ": cancelled for "
                        + outcome.cancelled() + " recipients, too late for " + outcome.tooLate(), null);
            }
            return new Mm7Reply(responseElement, Mm7Status.SUCCESS, Mm7Status.SUCCESS.text(), null);
        });
    }

    private static Mm7Status statusFor(Routing.Refused r) {
        return switch (r.reason()) {
            case UNROUTABLE -> Mm7Status.ADDRESS_NOT_FOUND;
            case NOT_ALLOWED -> Mm7Status.OPERATION_RESTRICTED;
            case UNSUPPORTED_ADDRESS -> Mm7Status.ADDRESS_ERROR;
        };
    }

    private static String describe(List<Routing.Refused> refused) {
        List<String> out = new ArrayList<>();
        for (Routing.Refused r : refused) {
            out.add(r.recipient().address().toMms() + " (" + statusFor(r).code() + " " + r.detail() + ")");
            if (out.size() == 10) {
                out.add("… " + (refused.size() - 10) + " more");
                break;
            }
        }
        return String.join(", ", out);
    }
}
