<?php
/*
 * Installs WordPress into the fixture's empty database and seeds it: users, an application
 * password, categories and tags, image attachments and the posts made by content.py
 * (posts.json). Prints one JSON object for fixture.py.
 */
$site = require __DIR__ . '/boot.php';
define('WP_INSTALLING', true);
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password) {}  // no mail

require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

$t0 = microtime(true);
$installed = wp_install('Redraft Fixture Gazette', 'admin', 'admin@example.test', true, '',
                        wp_slash($site['admin_password']));
if (is_wp_error($installed) || empty($installed['user_id'])) {
    fwrite(STDERR, "wp_install failed\n");
    exit(1);
}
update_option('timezone_string', $site['timezone']);
update_option('blogdescription', 'Made-up local news for redraft tests');
update_option('default_ping_status', 'closed');
update_option('default_comment_status', 'closed');
global $wp_rewrite;
$wp_rewrite->set_permalink_structure($site['pretty'] ? '/%year%/%monthnum%/%postname%/' : '');
delete_option('rewrite_rules');  // rebuilt on the first request, with every route registered
$timings = ['install' => microtime(true) - $t0];

$t0 = microtime(true);
$data = json_decode(file_get_contents($argv[1] . '/posts.json'), true, 512, JSON_THROW_ON_ERROR);
global $wpdb;
$admin = get_user_by('login', 'admin');
wp_set_current_user($admin->ID);  // unfiltered_html: the bodies' markup is kept as written
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $p) {
    wp_delete_post($p->ID, true);  // "Hello world!", "Sample Page", the privacy page
}
[$app_password] = WP_Application_Passwords::create_new_application_password(
    $admin->ID, ['name' => 'redraft-tests']);

$users = ['admin' => $admin->ID];
foreach ($data['authors'] as [$login, $name, $role]) {
    if ($login === 'admin') {
        wp_update_user(['ID' => $admin->ID, 'display_name' => $name]);
        continue;
    }
    $users[$login] = wp_insert_user(['user_login' => $login, 'user_pass' => wp_generate_password(20),
        'user_email' => "$login@example.test", 'display_name' => $name, 'role' => $role]);
}

$terms = ['category' => [], 'post_tag' => []];
foreach ($data['categories'] as [$name, $parent]) {
    $r = wp_insert_term($name, 'category', ['parent' => $parent ? $terms['category'][$parent] : 0]);
    $terms['category'][$name] = $r['term_id'];
}
foreach ($data['tags'] as $name) {
    $terms['post_tag'][$name] = wp_insert_term($name, 'post_tag')['term_id'];
}

$images = [];
$uploads = wp_upload_dir('2024/03');
foreach ($data['images'] as $k => $img) {
    $path = $uploads['path'] . '/' . $img['file'];
    copy($argv[1] . '/' . $img['file'], $path);
    $id = wp_insert_attachment(['post_mime_type' => 'image/png', 'post_title' => $img['title'],
        'post_excerpt' => $img['caption'], 'post_status' => 'inherit'], $path);
    update_post_meta($id, '_wp_attachment_image_alt', $img['alt']);
    wp_update_attachment_metadata($id, ['width' => $img['width'], 'height' => $img['height'],
        'file' => _wp_relative_upload_path($path), 'sizes' => [], 'image_meta' => []]);
    $images[$k] = ['id' => $id, 'url' => $uploads['url'] . '/' . $img['file']];
}
$fill = [];
foreach ($images as $k => $img) {
    $fill["%IMG{$k}_ID%"] = $img['id'];
    $fill["%IMG{$k}_URL%"] = $img['url'];
}

define('WP_IMPORTING', true);  // skips the work an importer does not need (e.g. ping checks)
wp_defer_term_counting(true);
wp_suspend_cache_invalidation(true);
remove_action('publish_post', '_publish_post_hook', 5);  // no pings or enclosures
$ids = [];
$wpdb->query('START TRANSACTION');
foreach ($data['posts'] as $n => $post) {
    $id = wp_insert_post(wp_slash([
        'post_type' => 'post', 'post_status' => 'publish',
        'post_title' => $post['title'], 'post_content' => strtr($post['content'], $fill),
        'post_excerpt' => $post['excerpt'], 'post_author' => $users[$post['author']],
        'post_date' => $post['date'], 'post_password' => $post['password'] ?? '',
        'post_category' => array_map(fn($c) => $terms['category'][$c], $post['categories']),
        'tags_input' => $post['tags'],
    ]), true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    // As on a site whose posts were written in wp-admin: the guid is the ?p= link of the
    // auto-draft, and some posts were edited after they were published.
    $fix = ['guid' => home_url('/?p=' . $id)];
    if ($post['modified'] !== $post['date']) {
        $fix += ['post_modified' => $post['modified'],
                 'post_modified_gmt' => get_gmt_from_date($post['modified'])];
    }
    $wpdb->update($wpdb->posts, $fix, ['ID' => $id]);
    if ($post['featured']) {
        update_post_meta($id, '_thumbnail_id', $images[$post['featured'] - 1]['id']);
    }
    $ids[] = $id;
    if ($n % 100 === 99) {
        $wpdb->query('COMMIT');
        $wpdb->query('START TRANSACTION');
    }
}
$wpdb->query('COMMIT');
wp_defer_term_counting(false);
$timings['seed'] = microtime(true) - $t0;
echo json_encode(['app_password' => $app_password, 'post_ids' => $ids, 'users' => $users,
                  'images' => array_values($images), 'timings' => $timings]), "\n";
