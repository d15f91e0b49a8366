package org.callrouter.server.leads;

import java.util.List;
import java.util.Map;
import org.callrouter.server.records.JournalPosition;

/**
 * What one ingest transaction stores: rows read from the journal of router {@code node} and
 * the positions reached in each stream ({@code calls}, {@code conversions}, {@code visits}).
 */
public record IngestBatch(String node, List<CallRow> calls, List<ConversionRow> conversions, List<VisitRow> visits,
                          List<VisitEndRow> visitEnds, Map<String, JournalPosition> positions) {

    public IngestBatch {
        calls = List.copyOf(calls);
        conversions = List.copyOf(conversions);
        visits = List.copyOf(visits);
        visitEnds = List.copyOf(visitEnds);
        positions = Map.copyOf(positions);
    }

    /** Rows in the batch (positions not counted). */
    public int size() {
        return calls.size() + conversions.size() + visits.size() + visitEnds.size();
    }
}
