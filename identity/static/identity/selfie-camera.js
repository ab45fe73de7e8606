// The selfie page's camera, as progressive enhancement: without JavaScript (or without a camera)
// the page's file input does the job on its own. With it, "Use your camera" shows what the
// camera sees; "Take the photo" draws the picture on a canvas, puts it as a JPEG file into that
// same file input and sends the same form, so the server checks it exactly as an upload.

const root = document.querySelector("[data-selfie-camera]");
const form = root ? root.parentElement.querySelector("form") : null;
const input = form ? form.querySelector('input[type="file"]') : null;

function canUseCamera() {
  return (
    navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === "function" &&
    typeof DataTransfer === "function" &&
    typeof HTMLCanvasElement.prototype.toBlob === "function"
  );
}

function initSelfieCamera() {
  const idle = root.querySelector("[data-selfie-idle]");
  const start = root.querySelector("[data-selfie-start]");
  const live = root.querySelector("[data-selfie-live]");
  const video = root.querySelector("[data-selfie-video]");
  const take = root.querySelector("[data-selfie-take]");
  const canvas = root.querySelector("[data-selfie-canvas]");
  const problem = root.querySelector("[data-selfie-problem]");
  let stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
  }

  function fail() {
    stop();
    live.hidden = true;
    idle.hidden = false;
    problem.textContent = problem.dataset.problemText;
    input.focus();
  }

  start.addEventListener("click", async () => {
    problem.textContent = "";
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 960 } },
        audio: false,
      });
    } catch (error) {
      fail();
      return;
    }
    // The preview and its button show once the camera sends pictures.
    video.addEventListener(
      "loadedmetadata",
      () => {
        idle.hidden = true;
        live.hidden = false;
        take.focus();
      },
      { once: true },
    );
    video.srcObject = stream;
  });

  take.addEventListener("click", () => {
    if (!stream || !video.videoWidth) {
      fail();
      return;
    }
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    stop();
    canvas.toBlob(
      (blob) => {
        if (!blob) {
          fail();
          return;
        }
        const files = new DataTransfer();
        files.items.add(new File([blob], "selfie.jpg", { type: "image/jpeg" }));
        input.files = files.files;
        problem.textContent = problem.dataset.sendingText;
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.submit();
      },
      "image/jpeg",
      0.9,
    );
  });

  window.addEventListener("pagehide", stop);
  root.hidden = false;
}

if (root && form && input && canUseCamera()) initSelfieCamera();
