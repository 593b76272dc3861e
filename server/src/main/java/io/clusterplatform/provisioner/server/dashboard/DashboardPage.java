package io.clusterplatform.provisioner.server.dashboard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.stereotype.Controller;

/**
 * Marks a controller of dashboard pages (under {@code /ui}): its errors become an HTML page ({@link
 * DashboardErrorPages}) instead of the REST API's {@code application/problem+json}. Each feature
 * package keeps its own pages next to its services, e.g. {@code mesh.MeshPages}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
public @interface DashboardPage {}
