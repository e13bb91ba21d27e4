<?php
/*
 * Plugin Name: redraft fixture (tests only)
 * Description: What the test site needs: application passwords over plain HTTP, no mail,
 * a REST API that can be locked to logged-in users, and the output popular plugins add to
 * every post through `the_content` (reading time, share buttons, related posts, ads).
 */

add_filter('wp_is_application_passwords_available', '__return_true');
if (!function_exists('wp_mail')) {
    function wp_mail($to, $subject, $message, $headers = '', $attachments = []) { return true; }
}

/*
 * Locked REST API, as security plugins do it: anonymous REST requests get 401
 * rest_not_logged_in (or 403 rest_cannot_access) while the site and its feed stay public.
 * Switched on and off at run time by the file rest-locked in wp-content, which holds the code.
 */
add_filter('rest_authentication_errors', function ($result) {
    $flag = WP_CONTENT_DIR . '/rest-locked';
    if (!empty($result) || !is_file($flag) || is_user_logged_in()) {
        return $result;
    }
    $code = trim(file_get_contents($flag));
    if ($code === 'rest_cannot_access') {
        return new WP_Error($code, 'Only authenticated users can access the REST API.', ['status' => 403]);
    }
    return new WP_Error('rest_not_logged_in', 'You are not currently logged in.', ['status' => 401]);
}, 99);

/*
 * A WordPress older than 5.7, which knows no modified_after and ignores it: switched on at
 * run time by the file old-api in wp-content.
 */
add_filter('rest_post_query', function ($args, $request) {
    if (is_file(WP_CONTENT_DIR . '/old-api') && !empty($args['date_query'])) {
        $args['date_query'] = array_values(array_filter($args['date_query'],
            fn($query) => ($query['column'] ?? '') !== 'post_modified'));
    }
    return $args;
}, 10, 2);

/* Plugin output, chosen per post by its ID so that every request gives the same HTML. */
add_filter('the_content', function ($content) {
    $post = get_post();
    if (!$post || $post->post_type !== 'post' || post_password_required($post)) {
        return $content;
    }
    $id = $post->ID;
    $minutes = max(1, (int) round(str_word_count(wp_strip_all_tags($content)) / 230));
    $reading = '<span class="span-reading-time rt-reading-time" style="display: block;">'
        . '<span class="rt-label rt-prefix">Reading Time: </span> <span class="rt-time">'
        . $minutes . '</span> <span class="rt-label rt-postfix">minutes</span></span>';
    $content = $reading . $content;
    if ($id % 4 === 1) {  // an ad after the second paragraph
        $ad = '<div class="code-block code-block-3" style="margin: 8px 0; clear: both;">'
            . '<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000"'
            . ' data-ad-slot="42" data-ad-format="auto"></ins><script>(adsbygoogle = '
            . 'window.adsbygoogle || []).push({});</script></div>';
        $parts = explode('</p>', $content, 3);
        if (count($parts) === 3) {
            $content = $parts[0] . '</p>' . $parts[1] . '</p>' . $ad . $parts[2];
        }
    }
    if ($id % 10 < 7) {
        $url = rawurlencode(get_permalink($post));
        $content .= '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block'
            . ' sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3>'
            . '<div class="sd-content"><ul><li class="share-facebook"><a class="share-facebook'
            . ' sd-button" href="?share=facebook&amp;u=' . $url . '" rel="nofollow noopener'
            . ' noreferrer"><span>Facebook</span></a></li><li class="share-email"><a class="share-email'
            . ' sd-button" href="?share=email"><span>Email</span></a></li><li class="share-end">'
            . '</li></ul></div></div></div>';
    }
    if ($id % 3 === 0) {
        $content .= '<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">'
            . '<em>Related</em></h3></div>';
    }
    return $content;
}, 20);
