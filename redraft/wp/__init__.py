"""WordPress knowledge shared by the sources that read sites and exports and the publisher
that writes to sites: the REST API's facts, route URLs, discovery, a site's identity and
where credentials may go (:mod:`redraft.wp.api`), and the post -> Entry mapping
(:mod:`redraft.wp.posts`)."""
