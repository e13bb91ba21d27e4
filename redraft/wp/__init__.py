"""WordPress knowledge shared by the sources that read sites and exports and the publisher
that writes to sites: the REST API's facts and the post -> Entry mapping
(:mod:`redraft.wp.posts`)."""
