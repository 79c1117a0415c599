package org.openmmsc.server.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.Routing;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The operator's message operations, free of HTTP plumbing: inject a message through the relay,
 * trace one, list ids. Store reads block, so callers run these on a worker thread, never on an
 * event loop. Client errors are logged by the caller, which sees every answer; this class logs
 * only failures whose cause the caller cannot see.
 */
public final class MessageService {
    private static final Logger log = LoggerFactory.getLogger(MessageService.class);
    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1000;

    private final Relay relay;
    private final MessageStore store;
    private final MessageJson json;

    public MessageService(Relay relay, MessageStore store, MessageJson json) {
        this.relay = relay;
        this.store = store;
        this.json = json;
    }

    /**
     * Routes, then stores. Completes with 201 only once the message is durable, 200 for a retried
     * transaction id (nothing new stored), 422 when no recipient can be reached (nothing stored),
     * 503 when the store failed (nothing acknowledged).
     */
    public CompletableFuture<ApiResponse> inject(MessageRequest request) {
        MessageId id = relay.newMessageId();
        Instant now = relay.clock().instant();
        Message message;
        try {
            message = request.toMessage(id, now);
        } catch (IllegalArgumentException e) {
            // The parser checks everything the model checks; this is the model's last word.
            throw new BadRequestException(null, e.getMessage());
        }
        Routing routing = relay.route(message);
        if (routing.noneRouted()) {
            return CompletableFuture.completedFuture(ApiResponse.json(422, json.noneRoutable(routing)));
        }
        CompletableFuture<org.openmmsc.core.relay.Acceptance> accepted;
        try {
            accepted = relay.accept(message, routing, request.idempotencyKey());
        } catch (RuntimeException e) {
            accepted = CompletableFuture.failedFuture(e);
        }
        return accepted.handle((acceptance, error) -> {
            if (error == null) {
                return acceptance.duplicate()
                        ? ApiResponse.json(200, json.accepted(acceptance.id(), true, null))
                        : ApiResponse.json(201, json.accepted(acceptance.id(), false, routing));
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            try (var ignored = MDC.putCloseable("messageId", id.value())) {
                if (cause instanceof StoreException) {
                    log.error("injection not accepted, store failed: {}", cause.toString());
                    return ApiResponse.json(503, json.error("store unavailable; the message was not accepted", null)).withHeader("Retry-After", "1");
                }
                log.error("injection not accepted: {}", cause.toString());
                return ApiResponse.json(500, json.error("internal error; the message was not accepted", null));
            }
        });
    }

    /** 200 with the trace, 404 if the id is unknown or not a message id. */
    public ApiResponse trace(String idText) {
        MessageId id;
        try {
            id = MessageId.parse(idText);
        } catch (IllegalArgumentException e) {
            return notFound(idText);
        }
        Optional<Message> message = store.message(id);
        if (message.isEmpty()) return notFound(idText);
        List<RecipientDelivery> deliveries = store.deliveries(id);
        return ApiResponse.json(200, json.trace(message.get(), deliveries));
    }

    /** A page of message ids after {@code afterText}; {@code next} is set while the page came back full. */
    public ApiResponse list(String afterText, String limitText) {
        MessageId after = null;
        if (afterText != null && !afterText.isEmpty()) {
            try {
                after = MessageId.parse(afterText);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("after", "not a message id: " + afterText);
            }
        }
        int limit = DEFAULT_PAGE;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                throw new BadRequestException("limit", "not a number: " + limitText);
            }
            if (limit < 1 || limit > MAX_PAGE) throw new BadRequestException("limit", "must be between 1 and " + MAX_PAGE + ", got " + limit);
        }
        List<MessageId> ids = store.messageIds(after, limit);
        MessageId next = ids.size() == limit ? ids.getLast() : null;
        return ApiResponse.json(200, json.messageIds(ids, next));
    }

    private ApiResponse notFound(String idText) {
        return ApiResponse.json(404, json.error("no such message", "id"));
    }
}
