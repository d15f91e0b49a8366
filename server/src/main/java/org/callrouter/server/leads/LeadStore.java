package org.callrouter.server.leads;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.ReportRow;
import org.callrouter.routing.lead.ReportSpec;
import org.callrouter.server.records.JournalPosition;

/**
 * The attribution store (server README, "Leads, sessions and sales"): call rows, leads, their
 * identities, sessions and sales in an SQL database. Thread-safe: the ingest thread and admin
 * worker threads call it at once. Every method that changes data runs in one transaction.
 * Database failures surface as {@link LeadStoreException}.
 */
public interface LeadStore extends AutoCloseable {

    /**
     * Stores a batch read from the journal and the positions reached, in one transaction: after
     * a crash either all of it is stored or none. Idempotent by ids (a call id, a visit's
     * session, a conversion's call id and time), so a batch read again after a crash changes nothing.
     */
    void ingest(IngestBatch batch);

    /** Where ingest stopped for {@code node}: stream name ({@code calls}, {@code visits}, ...) → position. */
    Map<String, JournalPosition> positions(String node);

    /**
     * Records a sale and links it to the lead of its identities (merging several, creating an
     * unattributed lead when none matches). A known order id returns the stored sale unchanged
     * with {@code created} false.
     *
     * @param actor who recorded it, for the audit ({@code api:<token name>})
     * @throws IllegalArgumentException when no usable identity is left (all absent, invalid or ignored)
     */
    SaleResult recordSale(SaleInput sale, String actor);

    /** The lead with this id; a merged lead's view has {@code mergedInto} set and no identities. */
    Optional<LeadView> lead(String leadId);

    /** The id of the lead that has this identity (normalised). */
    Optional<String> leadOf(Identity identity);

    /**
     * Merges lead {@code leadId} into the lead that has {@code target}.
     *
     * @throws LeadNotFoundException  the lead or the target identity is unknown
     * @throws LeadConflictException  the lead is already merged, or the target is the lead itself
     */
    AssignResult assignOrigin(String leadId, Identity target, String actor);

    /**
     * Merges lead {@code leadId} into lead {@code targetLeadId} (a merged target resolves to
     * the lead it was merged into).
     *
     * @throws LeadNotFoundException  either lead is unknown
     * @throws LeadConflictException  the lead is already merged, or the target is it or would form a cycle
     */
    AssignResult assignOrigin(String leadId, String targetLeadId, String actor);

    /**
     * Moves {@code identities} of lead {@code leadId}, with the sessions and sales that came
     * through them, to one new lead.
     *
     * @throws LeadNotFoundException  the lead is unknown
     * @throws LeadConflictException  an identity is not the lead's, the lead is merged, or all its identities are named
     */
    DisconnectResult disconnect(String leadId, List<Identity> identities, String actor);

    /**
     * The audit trail of a lead: merges, assign-origin, disconnect, in which it took part, oldest
     * first (entries of the same millisecond in no set order).
     */
    List<AuditEntry> audit(String leadId);

    /** Sessions matching the query, newest first. */
    List<SessionView> sessions(SessionQuery query);

    /** Calls and sales grouped as asked, sales credited by {@code credit}. */
    default List<ReportRow> report(ReportSpec spec, CreditModel credit) {
        return report(spec, credit, new ReportProgress());
    }

    /** The same, telling {@code progress} which statement runs so that another thread can ask how far it is. */
    List<ReportRow> report(ReportSpec spec, CreditModel credit, ReportProgress progress);

    /** The journal line of a call with its conversions merged (as {@code JournalReader} gives it). */
    Optional<String> callRecord(String callId);

    /** Call lines matching the query, newest first, conversions merged. */
    List<String> callRecords(CallQuery query);

    /** Deletes call rows received and web sessions started before {@code beforeMs}; the count deleted. */
    long prune(long beforeMs);

    /** Which engine, its URL without password, and the last error seen. */
    StoreHealth health();

    /** Closes the connections. */
    @Override
    void close();
}
