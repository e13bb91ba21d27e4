"""WordPress, shared by the WordPress source and the publisher: REST API facts, route URLs,
discovery and a site's identity (:mod:`redraft.wp.api`), and the mapping of a REST post object
to an entry (:mod:`redraft.wp.posts`)."""
