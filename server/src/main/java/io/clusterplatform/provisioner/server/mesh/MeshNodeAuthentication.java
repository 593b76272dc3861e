package io.clusterplatform.provisioner.server.mesh;

import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The authentication of a request that carried a valid mesh node token. */
public final class MeshNodeAuthentication extends AbstractAuthenticationToken {
    private final long nodeId;
    private final long networkPk;
    private final String networkId;
    private final String role;

    MeshNodeAuthentication(long nodeId, long networkPk, String networkId, String role) {
        super(List.of(new SimpleGrantedAuthority("ROLE_MESH_NODE")));
        this.nodeId = nodeId;
        this.networkPk = networkPk;
        this.networkId = networkId;
        this.role = role;
        setAuthenticated(true);
    }

    public long nodeId() {
        return nodeId;
    }

    public long networkPk() {
        return networkPk;
    }

    public String networkId() {
        return networkId;
    }

    public String role() {
        return role;
    }

    /** The node of the current request, if a node token authenticated it. */
    static Optional<MeshNodeAuthentication> current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof MeshNodeAuthentication node ? Optional.of(node) : Optional.empty();
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return "mesh node " + nodeId + " of " + networkId;
    }
}
