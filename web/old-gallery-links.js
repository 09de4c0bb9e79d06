// A classic script, run before the index page draws anything: links to the
// one-page gallery that index.html used to be keep working. Its topics and
// widgets now live on topic.html, so
//   index.html?topic=ID            -> topic.html?t=ID
//   index.html#WIDGET=STATE[&...]  -> topic.html?t=WIDGET#WIDGET=STATE
//                                     (several widgets' states: topic.html#...)
// The fragment (the widgets' states) travels unchanged. Not a module: a
// module runs after the page is parsed, and the cards would flash first.
(function redirectOldGalleryLink() {
  var params = new URLSearchParams(window.location.search);
  var topic = params.get('topic');
  var hash = window.location.hash;
  var keys = hash.length > 1 ? hash.slice(1).split('&').map(function (part) { return part.split('=')[0]; }).filter(Boolean) : [];
  var target = null;
  if (topic !== null) target = 'topic.html?t=' + encodeURIComponent(topic) + hash;
  else if (keys.length === 1) target = 'topic.html?t=' + encodeURIComponent(decodeURIComponent(keys[0])) + hash;
  else if (keys.length > 1) target = 'topic.html' + hash;
  if (target !== null) window.location.replace(new URL(target, window.location.href).href);
})();
