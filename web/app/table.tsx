// A data table with one header row of translated column names (scope="col", so a screen reader
// names each cell's column); the rows are the children.
import type { ComponentChildren } from 'preact';
import { useI18n } from './i18n';
import type { MessageKey } from './messages';

export function Table(props: { headers: readonly MessageKey[]; children: ComponentChildren; class?: string }) {
  const { t } = useI18n();
  return (
    <table class={props.class}>
      <thead>
        <tr>
          {props.headers.map((key) => (
            <th scope="col" key={key}>
              {t(key)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
