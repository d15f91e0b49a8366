package org.callrouter.server.records;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.callrouter.server.RepeatedStrings;
import org.agrona.concurrent.MessageHandler;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;

/**
 * Reads the ring buffer's messages ({@link RecordMessages}) and hands them, decoded, to the
 * assembler. One bad message is reported and skipped; it never stops the emitter.
 */
final class CallEventAdapter implements MessageHandler {

    private static final AttemptResult[] RESULTS = AttemptResult.values();
    private static final CallStatus[] STATUSES = CallStatus.values();
    private static final ConversionOutcome.Status[] SIDES = ConversionOutcome.Status.values();
    private static final BuiltinTag[] BUILTINS = BuiltinTag.values();

    private final RecordAssembler assembler;
    private final ErrorHandler errors;
    private final RepeatedStrings repeated = new RepeatedStrings();
    private long messages;
    private int at;

    CallEventAdapter(RecordAssembler assembler, ErrorHandler errors) {
        this.assembler = assembler;
        this.errors = errors;
    }

    /** Messages read since start. */
    long messages() {
        return messages;
    }

    @Override
    public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        messages++;
        try {
            dispatch(type, buffer, index);
        } catch (RuntimeException e) {
            errors.onError(e);
        }
    }

    private void dispatch(int type, DirectBuffer b, int index) {
        switch (type) {
            case RecordMessages.RECEIVED -> {
                final long atMs = b.getLong(index);
                final long routingNs = b.getLong(index + Long.BYTES);
                at = index + 2 * Long.BYTES;
                final String callId = string(b);
                final String key = string(b);
                final String caller = string(b);
                final String dialed = string(b);
                final String campaign = repeated(b);
                final String source = repeated(b);
                final int tagCount = b.getInt(at);
                at += Integer.BYTES;
                final TagArray tags = new TagArray(tagCount);
                for (int i = 0; i < tagCount; i++) {
                    final int nameMark = b.getInt(at);
                    if (nameMark <= RecordMessages.BUILTIN_NAME) {
                        at += Integer.BYTES;
                        final BuiltinTag builtin = BUILTINS[RecordMessages.BUILTIN_NAME - nameMark];
                        final String value;
                        if (b.getInt(at) == RecordMessages.SAME_AS_FIELD) {
                            at += Integer.BYTES;
                            value = switch (builtin) {
                                case CALLER_NUMBER -> caller;
                                case DIALED_NUMBER -> dialed;
                                case CAMPAIGN -> campaign;
                                case SOURCE -> source;
                                default -> throw new IllegalStateException("no field repeats tag " + builtin);
                            };
                        } else {
                            value = repeated(b);
                        }
                        tags.add(builtin.tagName(), value);
                    } else {
                        final String name = repeated(b);
                        tags.add(name, repeated(b));
                    }
                }
                assembler.received(callId, key, atMs, routingNs, caller, dialed, campaign, source, tags);
            }
            case RecordMessages.VISITOR -> {
                at = index;
                final String callId = string(b);
                final String session = string(b);
                final int pages = b.getInt(at);
                at += Integer.BYTES;
                final List<String> path = new ArrayList<>(pages);
                for (int i = 0; i < pages; i++) {
                    path.add(string(b));
                }
                assembler.visitor(callId, session, path);
            }
            case RecordMessages.CALLBACK -> {
                at = index + Integer.BYTES;
                assembler.callback(string(b), string(b), string(b), b.getInt(index));
            }
            case RecordMessages.SKIPPED -> {
                at = index;
                assembler.skipped(string(b), repeated(b), repeated(b));
            }
            case RecordMessages.ATTEMPT_STARTED -> {
                at = index + Long.BYTES;
                assembler.attemptStarted(string(b), repeated(b), b.getLong(index));
            }
            case RecordMessages.ATTEMPT_ENDED -> {
                at = index + Long.BYTES + 2 * Integer.BYTES;
                final String callId = string(b);
                assembler.attemptEnded(callId, repeated(b), RESULTS[b.getInt(index + Long.BYTES)],
                        b.getInt(index + Long.BYTES + Integer.BYTES), b.getLong(index));
            }
            case RecordMessages.ANSWERED -> {
                at = index + Long.BYTES;
                assembler.answered(string(b), repeated(b), b.getLong(index));
            }
            case RecordMessages.ENDED -> {
                at = index + 3 * Long.BYTES + 2 * Integer.BYTES;
                final String callId = string(b);
                final String reason = string(b);
                final boolean hasConversion = b.getInt(at) != 0;
                at += Integer.BYTES;
                final ConversionOutcome conversion = hasConversion ? new ConversionOutcome(side(b), side(b)) : null;
                assembler.ended(callId, STATUSES[b.getInt(index + 3 * Long.BYTES)],
                        b.getInt(index + 3 * Long.BYTES + Integer.BYTES), reason, b.getLong(index),
                        b.getLong(index + Long.BYTES), b.getLong(index + 2 * Long.BYTES), conversion);
            }
            case RecordMessages.POSTBACK -> {
                at = index + 2 * Long.BYTES;
                assembler.onPostback(b.getLong(index), string(b), string(b), string(b), b.getLong(index + Long.BYTES));
            }
            case RecordMessages.LOOKUP -> {
                at = index + Long.BYTES;
                assembler.onLookup(b.getLong(index), string(b));
            }
            default -> throw new IllegalStateException("unknown record message type " + type);
        }
    }

    private ConversionOutcome.Side side(DirectBuffer b) {
        final ConversionOutcome.Status status = SIDES[b.getInt(at)];
        at += Integer.BYTES;
        final String amount = string(b);
        final String reason = string(b);
        return new ConversionOutcome.Side(status, amount == null ? BigDecimal.ZERO : new BigDecimal(amount), reason);
    }

    /** The string at the cursor; moves the cursor past it. Arguments are evaluated left to right (JLS 15.7.4). */
    private String string(DirectBuffer b) {
        final String value = EventStrings.get(b, at);
        at = EventStrings.skip(b, at);
        return value;
    }

    /** As {@link #string}, for a string that repeats from call to call (an id, a tag, a reason). */
    private String repeated(DirectBuffer b) {
        return repeated.canonical(string(b));
    }
}
