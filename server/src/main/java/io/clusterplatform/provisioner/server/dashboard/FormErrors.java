package io.clusterplatform.provisioner.server.dashboard;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a submitted form, in the server's own words, placed next to the field it names.
 * The REST API's messages name their field first ({@code 'name' must not be blank}); such a message
 * goes to that field when the form has it, any other message to the top of the form.
 */
public final class FormErrors {
    private static final Pattern LEADING_FIELD = Pattern.compile("^'([A-Za-z][A-Za-z0-9_.]*)'");
    private static final FormErrors NONE = new FormErrors(Map.of(), null);

    private final Map<String, String> fields;
    private final String general;

    private FormErrors(Map<String, String> fields, String general) {
        this.fields = Map.copyOf(fields);
        this.general = general;
    }

    public static FormErrors none() {
        return NONE;
    }

    /** The problem's detail, next to the field it starts with if that field is on the form. */
    public static FormErrors of(ProblemException problem, Set<String> formFields) {
        return of(problem.detail(), formFields);
    }

    /** A message, next to the field it starts with if that field is on the form. */
    public static FormErrors of(String message, Set<String> formFields) {
        Matcher field = LEADING_FIELD.matcher(message);
        if (field.find() && formFields.contains(field.group(1))) {
            return new FormErrors(Map.of(field.group(1), message), null);
        }
        return new FormErrors(Map.of(), message);
    }

    /** The request's Bean Validation errors, in the words the REST API answers them with. */
    public static FormErrors validate(Validator validator, Object request) {
        Set<ConstraintViolation<Object>> violations = validator.validate(request);
        if (violations.isEmpty()) {
            return NONE;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (ConstraintViolation<Object> violation : violations) {
            String field = violation.getPropertyPath().toString();
            String message = violation.getConstraintDescriptor().getAnnotation()
                            instanceof jakarta.validation.constraints.NotNull
                    ? "is required"
                    : violation.getMessage();
            fields.merge(field, "'" + field + "' " + message, (a, b) -> a + "; " + b);
        }
        return new FormErrors(fields, null);
    }

    public boolean any() {
        return general != null || !fields.isEmpty();
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public String message(String field) {
        return fields.get(field);
    }

    /** The message that names no field of the form, or null. */
    public String general() {
        return general;
    }
}
