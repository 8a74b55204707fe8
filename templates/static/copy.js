// 为永久网址和引用格式加上“复制”按钮；没有脚本时内容照样可以手动选取复制。
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".copy-source").forEach(function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "复制";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "已复制";
        setTimeout(function () { button.textContent = "复制"; }, 2000);
      });
    });
    field.parentNode.appendChild(button);
  });
})();
