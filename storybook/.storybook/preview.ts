import type { Preview } from '@storybook/web-components-vite';
import '@lmtt/components/define';

const preview: Preview = {
  parameters: {
    controls: { expanded: true },
  },
};

export default preview;
