package io.clusterplatform.provisioner.server.distributors;

import io.clusterplatform.provisioner.server.http.ChangeSignal;
import org.springframework.stereotype.Component;

/** Wakes command polls of this server when a command was queued (see {@link ChangeSignal}). */
@Component
class CommandSignals extends ChangeSignal {}
