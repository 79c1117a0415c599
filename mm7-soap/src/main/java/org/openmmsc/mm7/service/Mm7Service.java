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
import org.openmmsc.mm7.codec.SubmitRequest;
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
                case "CancelReq" -> cancel(vasp, env);
                default -> throw new Mm7Exception(Mm7Status.UNSUPPORTED_OPERATION,
                        env.operation() + " is not supported here; this MMSC accepts SubmitReq and CancelReq");
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

    private CompletableFuture<Mm7Reply> cancel(VaspAccount vasp, Mm7Envelope env) throws Mm7Exception {
        String id = Elements.text(env.body(), "MessageID");
        if (id == null || id.isEmpty()) throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "mandatory element MessageID is missing");
        MessageId messageId;
        try {
            messageId = MessageId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_ID_NOT_FOUND, "no message " + id + " from VASP " + vasp.id());
        }
        Optional<Message> stored = messages.apply(messageId);
        // Another VASP's message reads as unknown: its existence is not ours to tell.
        if (stored.isEmpty() || stored.get().origin().iface() != Interface.MM7 || !vasp.id().equals(stored.get().origin().vaspId())) {
            throw new Mm7Exception(Mm7Status.MESSAGE_ID_NOT_FOUND, "no message " + id + " from VASP " + vasp.id());
        }
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
                return new Mm7Reply("CancelRsp", Mm7Status.PARTIAL_SUCCESS, Mm7Status.PARTIAL_SUCCESS.text() + ": cancelled for "
                        + outcome.cancelled() + " recipients, too late for " + outcome.tooLate(), null);
            }
            return new Mm7Reply("CancelRsp", Mm7Status.SUCCESS, Mm7Status.SUCCESS.text(), null);
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
