package org.callrouter.routing.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.callrouter.routing.lead.CreditModel;
import org.callrouter.routing.lead.Identity;
import org.callrouter.routing.lead.IdentityKind;
import org.callrouter.routing.phone.PhoneNumbers;

/**
 * Reads the top-level {@code attribution:} section: {@code credit} and the numbers and emails
 * to ignore, normalised like every other number of the file (E.164) and every email (case-folded).
 */
final class AttributionReader {

    private AttributionReader() {
    }

    static AttributionConfig read(MapReader section, PhoneNumbers phones) {
        String creditText = section.string("credit", CreditModel.FIRST_TOUCH.wireName());
        CreditModel credit = CreditModel.FIRST_TOUCH;
        try {
            credit = CreditModel.fromWire(creditText);
        } catch (IllegalArgumentException e) {
            section.error("credit", e.getMessage());
        }
        MapReader ignore = section.child("ignore");
        List<String> numbers = normalised(ignore, "numbers", IdentityKind.PHONE, phones);
        List<String> emails = normalised(ignore, "emails", IdentityKind.EMAIL, phones);
        ignore.finish();
        section.finish();
        return new AttributionConfig(credit, numbers, emails, phones.region());
    }

    private static List<String> normalised(MapReader ignore, String key, IdentityKind kind, PhoneNumbers phones) {
        Set<String> values = new LinkedHashSet<>();
        for (MapReader.Item item : ignore.stringList(key)) {
            try {
                values.add(Identity.parse(kind, item.text(), phones).value());
            } catch (IllegalArgumentException e) {
                ignore.problems().add(item.mark(), item.path(), e.getMessage());
            }
        }
        return new ArrayList<>(values);
    }
}
