<?php
/*
 * Shared start of the command-line scripts: `php SCRIPT.php STATE_DIR`. Loads the site's
 * settings (site.json, written by fixture.py) and makes WordPress use the fixture's root.
 */
if (PHP_SAPI !== 'cli' || $argc < 2) {
    fwrite(STDERR, "usage: php script.php STATE_DIR\n");
    exit(2);
}
$site = json_decode(file_get_contents($argv[1] . '/site.json'), true, 512, JSON_THROW_ON_ERROR);
define('ABSPATH', $site['root'] . '/');
$host = parse_url($site['base_url'], PHP_URL_HOST) . ':' . parse_url($site['base_url'], PHP_URL_PORT);
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = parse_url($site['base_url'], PHP_URL_HOST);
$_SERVER['SERVER_PORT'] = (string) parse_url($site['base_url'], PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
return $site;
