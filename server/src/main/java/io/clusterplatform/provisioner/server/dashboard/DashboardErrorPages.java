package io.clusterplatform.provisioner.server.dashboard;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Errors on dashboard pages as a page in the dashboard's frame, with the same words the REST API
 * would answer (a missing node: "localnode 7 does not exist").
 */
@ControllerAdvice(annotations = DashboardPage.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardErrorPages {
    private static final Logger log = LoggerFactory.getLogger(DashboardErrorPages.class);

    @ExceptionHandler(ProblemException.class)
    String problem(ProblemException e, HttpServletResponse response, Model model) {
        return page(response, model, e.status(), e.title(), e.detail());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String typeMismatch(MethodArgumentTypeMismatchException e, HttpServletResponse response, Model model) {
        return page(
                response, model, 400, "Invalid request", "'" + e.getName() + "' is not valid: '" + e.getValue() + "'");
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletResponse response, Model model) {
        if (e instanceof ErrorResponse refused && refused.getStatusCode().is4xxClientError()) {
            // Spring's own refusals (a missing parameter, a wrong method): the request's fault, not ours
            return page(
                    response,
                    model,
                    refused.getStatusCode().value(),
                    "Invalid request",
                    String.valueOf(refused.getBody().getDetail()));
        }
        log.error("Dashboard page failed", e);
        return page(
                response,
                model,
                500,
                "Internal error",
                "the server failed to show this page; the server log has the details");
    }

    private static String page(HttpServletResponse response, Model model, int status, String title, String detail) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("problemTitle", title);
        model.addAttribute("detail", detail);
        return "ui/error";
    }
}
