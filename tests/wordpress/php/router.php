<?php
/*
 * Router for `php -S`: plays the part of the web server's rewrite rules for WordPress
 * (every path that is not a file goes to index.php, as nginx's try_files does) and points
 * WordPress at the fixture's own root, whose wp-config.php is the fixture's.
 */
define('ABSPATH', rtrim(getenv('REDRAFT_WP_ROOT'), '/') . '/');

// The access log tests count requests with (php -S logs only the static files it serves).
file_put_contents(getenv('REDRAFT_WP_ACCESS_LOG'),
    $_SERVER['REQUEST_METHOD'] . ' ' . $_SERVER['REQUEST_URI'] . "\n", FILE_APPEND | LOCK_EX);

$__redraft_route = (function () {
    $root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
    $path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?: '/');
    if (strpos($path, "\0") !== false || preg_match('#(^|/)\.\.(/|$)#', $path)) {
        http_response_code(400);
        return true;  // handled: a bad path
    }
    $file = $root . $path;
    if (is_dir($file)) {
        $file = rtrim($file, '/') . '/index.php';
    }
    if (is_file($file) && substr($file, -4) !== '.php') {
        return false;  // a static file: php -S serves it
    }
    if (!is_file($file)) {
        $file = $root . '/index.php';
    }
    $_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = substr($file, strlen($root));
    $_SERVER['SCRIPT_FILENAME'] = $file;
    chdir(dirname($file));
    return $file;
})();
if (!is_string($__redraft_route)) {
    return $__redraft_route;
}
require $__redraft_route;  // at the top level: WordPress expects the global scope
