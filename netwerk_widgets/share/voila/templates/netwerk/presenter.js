/* Presentation mode of the trainer screen (netwerk_widgets/trainer/presentation.py): the
   arrow keys and a presenter clicker (Page Up / Page Down) press "Vorige" / "Volgende";
   "Volledig scherm" asks the browser for full screen. Nothing else on any page. */
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
  var next = ["ArrowRight", "ArrowDown", "PageDown"].indexOf(event.key) >= 0;
  var previous = ["ArrowLeft", "ArrowUp", "PageUp"].indexOf(event.key) >= 0;
  if (!next && !previous) { return; }
  var button = document.querySelector(next ? ".nw-present-next" : ".nw-present-prev");
  if (!button || button.disabled) { return; }
  event.preventDefault();
  button.click();
});
document.addEventListener("click", function (event) {
  var button = event.target && event.target.closest && event.target.closest(".nw-present-fullscreen");
  if (!button) { return; }
  if (document.fullscreenElement) { document.exitFullscreen(); }
  else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
});
